// Forgetting experiment (Nested Learning, NESTED.md section 5), small enough for a laptop CPU.
// Run: ./calmnest run notebooks/scripts/forgetting.jsh
// A model trains on English Europarl, then on German with no English data. Every task's held-out
// split is evaluated after each task (the R matrix) and every 20 steps (the loss curves).
// About 5 minutes on an idle 2-core CPU; raise stepsPerTask for clearer curves.
// Arms: the CMS (levels 1, 4, 16 updated at their periods) and its Transformer-k control (the same
// levels, all updated every step); two seeds each. At this size expect noise, maybe a null result.
// CALMNEST_BUDGET=ci (set by the script-mode test) shrinks the runs to a few steps.

var CI = ciBudget();
var en = europarl("en");
var de = europarl("de");
var budget = CI ? stepsPerTask(2) : stepsPerTask(60).evalEvery(20);
var arm = CI ? nested().levels(1, 4, 16).width(16).levelInner(16).maxDocuments(20) : nested().levels(1, 4, 16).maxDocuments(200);

var cms1 = arm.seed(1).train(tasks(en, de), budget);
var cms2 = arm.seed(2).train(tasks(en, de), budget);
var ctl1 = arm.levels(1, 1, 1).seed(1).train(tasks(en, de), budget);
var ctl2 = arm.levels(1, 1, 1).seed(2).train(tasks(en, de), budget);

System.out.println(cms1.forgetting().summary());
System.out.println(ctl1.forgetting().summary());
cms1.forgetting().matrix().print()

var arms = new LinkedHashMap<String, List<ForgettingReport>>();
arms.put("CMS 1,4,16", List.of(cms1.forgetting(), cms2.forgetting()));
arms.put("Transformer-k", List.of(ctl1.forgetting(), ctl2.forgetting()));
var byArm = compareForgetting(arms);
System.out.println(byArm.summary());

// charts: held-out loss per task with the task boundary, the R matrix, forgetting per arm
cms1.plot()
ctl1.plot()
cms1.forgetting().heatmap()
byArm.plot()
