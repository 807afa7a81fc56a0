package org.calmnest.dsl.result;

import ai.djl.Device;
import org.calmnest.dsl.TaskBudget;
import org.calmnest.dsl.Tasks;
import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.chart.Series;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.calmnest.dsl.display.Session;
import org.calmnest.dsl.progress.ProgressListener;
import org.calmnest.dsl.run.Devices;
import org.calmnest.dsl.run.TokenizerResolver;
import org.calmnest.dsl.spec.Check;
import org.calmnest.dsl.spec.NestedSpec;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.nested.CmsConfig;
import org.calmnest.lib.nested.HopeConfig;
import org.calmnest.lib.nested.NestedLm;
import org.calmnest.lib.nested.NestedLmConfig;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.Trainer;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A continual-learning run ({@code nested().train(tasks(en, de), stepsPerTask(600))}): one model
 * trained on each task in turn with no data of earlier tasks. After each task (and every E steps
 * when asked) every task's held-out split is evaluated, giving the R matrices (next-token
 * accuracy and held-out bits per byte) behind {@link #forgetting()} and the per-task loss curves
 * of {@link #plot()}. An interrupt stops the run within one step; the tasks finished so far stay
 * in the report.
 */
public final class ContinualRun implements TrainedModel, AutoCloseable {

    private final NestedSpec spec;
    private final List<String> names;
    private final NestedLm model;
    private final Trainer trainer;
    private final List<BlockBatches> data = new ArrayList<>();
    private final double[] baselineAcc;
    private final double[] baselineLoss;
    private final List<double[]> accRows = new ArrayList<>();
    private final List<double[]> lossRows = new ArrayList<>();
    private final List<List<double[]>> curves = new ArrayList<>();
    private final List<Long> taskStarts = new ArrayList<>();
    private History history;

    private ContinualRun(NestedSpec spec, Tasks tasks, Tokenizer tok, Device device) {
        org.calmnest.dsl.run.EngineThread.prepare();
        this.spec = spec;
        this.names = tasks.names();
        for (Corpus c : tasks.corpora()) {
            Corpus limited = spec.settings().maxDocuments() > 0 ? c.limit(spec.settings().maxDocuments()) : c;
            data.add(new BlockBatches(limited, tok, 1, spec.context(), spec.settings().batch(), 4));
            curves.add(new ArrayList<>());
        }
        int[] periods = spec.periods();
        CmsConfig cms = CmsConfig.of(spec.levelInner(), periods);
        if (spec.matchedRates()) {
            cms = cms.lrMatched();
        }
        BackboneConfig bc = new BackboneConfig(spec.width(), spec.layers(), spec.heads(), TrainedTransformer.ffInner(spec.width()),
                spec.context(), 10000);
        NestedLmConfig.Mixer mixer = spec.memory() == org.calmnest.dsl.Memory.SELF_MODIFYING
                ? NestedLmConfig.Mixer.HOPE : NestedLmConfig.Mixer.ATTENTION;
        HopeConfig hope = new HopeConfig(spec.heads(), 16, 8, 0.1, 4);
        NestedLmConfig cfg = new NestedLmConfig(tok.vocabSize(), tok.pad(), bc, mixer, cms, true, hope);
        org.calmnest.lib.train.MemoryEstimate.nested(spec.toString(), cfg, spec.settings().batch()).requireFits(device);
        this.model = new NestedLm(cfg, spec.settings().seed(), device);
        TrainConfig tc = TrainConfig.defaults(1).withLearningRate(spec.settings().learningRate())
                .withWarmupSteps(spec.settings().warmupSteps()).withEvalEvery(0).withSeed(spec.settings().seed());
        this.trainer = new Trainer(model, tc);
        this.baselineAcc = new double[names.size()];
        this.baselineLoss = new double[names.size()];
        this.history = new History(name(), List.of(), List.of(), false);
    }

    /** Runs the task sequence (what {@code nested().train(..)} calls). */
    public static ContinualRun train(NestedSpec spec, Tasks tasks, TaskBudget budget) {
        Check.notNull("nested().train(..)", "tasks", tasks, "pass tasks(europarl(\"en\"), europarl(\"de\"))");
        Check.notNull("nested().train(..)", "budget", budget, "pass stepsPerTask(n)");
        spec.validate();
        // resolved first, so a missing GPU fails before the data is read
        Device device = Devices.resolve("nested().train(..)", spec.settings().device());
        Tokenizer tok = TokenizerResolver.resolve(spec.settings().tokenizer(), tasks.corpora().get(0));
        ContinualRun run = new ContinualRun(spec, tasks, tok, device);
        run.runTasks(budget);
        return run;
    }

    private void runTasks(TaskBudget budget) {
        org.calmnest.dsl.run.EngineThread.prepare();
        for (int j = 0; j < names.size(); j++) {
            EvalRecord e = trainer.evaluate(data.get(j));
            baselineAcc[j] = e.metrics().getOrDefault("accuracy", Double.NaN);
            baselineLoss[j] = score(e);
            curves.get(j).add(new double[] {0, e.loss()});
        }
        long perTask = budget.perTask().steps();
        for (int i = 0; i < names.size(); i++) {
            taskStarts.add(trainer.step());
            trainer.setConfig(trainer.config().withSteps(trainer.step() + perTask)
                    .withMaxSeconds(budget.perTask().seconds()));
            List<TrainListener> ls = List.of(ProgressListener.forCurrentSession(), new TaskCurves(budget.evalEvery()));
            Trainer.Result r = trainer.run(data.get(i), ls, Session.cancellation());
            history = history.append(r.steps(), r.evals(), r.cancelled());
            if (r.cancelled()) {
                break;
            }
            double[] acc = new double[names.size()];
            double[] loss = new double[names.size()];
            for (int j = 0; j < names.size(); j++) {
                EvalRecord e = trainer.evaluate(data.get(j));
                acc[j] = e.metrics().getOrDefault("accuracy", Double.NaN);
                loss[j] = score(e);
                addCurvePoint(j, trainer.step(), e.loss());
            }
            accRows.add(acc);
            lossRows.add(loss);
        }
    }

    /** Bits per byte when the model reports it, else the mean held-out loss. */
    private static double score(EvalRecord e) {
        return e.metrics().getOrDefault("bitsPerByte", e.loss());
    }

    private void addCurvePoint(int task, long step, double loss) {
        List<double[]> c = curves.get(task);
        if (c.isEmpty() || c.get(c.size() - 1)[0] != step) {
            c.add(new double[] {step, loss});
        }
    }

    /** Evaluates every task every {@code every} steps during the run. */
    private final class TaskCurves implements TrainListener {
        private final long every;

        TaskCurves(long every) {
            this.every = every;
        }

        @Override
        public void onStep(StepRecord r) {
            if (every > 0 && r.step() % every == 0) {
                for (int j = 0; j < names.size(); j++) {
                    addCurvePoint(j, r.step(), trainer.evaluate(data.get(j)).loss());
                }
            }
        }
    }

    /** Task names in training order. */
    public List<String> tasks() {
        return names;
    }

    /** Tasks fully trained (fewer than all when the run was interrupted). */
    public int tasksDone() {
        return accRows.size();
    }

    /** The R matrices and ACC, BWT, FWT and average forgetting (needs at least two finished tasks). */
    public ForgettingReport forgetting() {
        int t = tasksDone();
        if (t < 2) {
            throw new IllegalStateException("forgetting(): only " + t + " task(s) finished (the run was interrupted);"
                    + " forgetting needs at least two; train again with a budget that completes two tasks");
        }
        String[] n = names.subList(0, t).toArray(new String[0]);
        return new ForgettingReport(name(), n, square(accRows, t), java.util.Arrays.copyOf(baselineAcc, t),
                square(lossRows, t), java.util.Arrays.copyOf(baselineLoss, t));
    }

    private static double[][] square(List<double[]> rows, int t) {
        double[][] r = new double[t][];
        for (int i = 0; i < t; i++) {
            r[i] = java.util.Arrays.copyOf(rows.get(i), t);
        }
        return r;
    }

    /** Held-out loss of every task over the whole run, with the task boundaries marked. */
    public XYChart plot() {
        List<Series> s = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            List<double[]> c = curves.get(j);
            s.add(new Series(names.get(j), c.stream().mapToDouble(p -> p[0]).toArray(),
                    c.stream().mapToDouble(p -> p[1]).toArray()));
        }
        double[] starts = new double[taskStarts.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = taskStarts.get(i);
        }
        XYChart chart = Charts.taskLosses(s, names.subList(0, starts.length).toArray(new String[0]), starts);
        // the run in the title: a script plotting several runs writes files that say which is which
        chart.setTitle("Held-out loss per task (" + name() + ", seed " + spec.settings().seed() + ")");
        return chart;
    }

    @Override
    public String name() {
        return "nested " + spec.memory().name().toLowerCase(Locale.ROOT) + " levels" + java.util.Arrays.toString(spec.periods())
                + (spec.matchedRates() ? " lr-matched" : "") + " d=" + spec.width();
    }

    @Override
    public History history() {
        return history;
    }

    @Override
    public long parameterCount() {
        return model.parameterCount();
    }

    @Override
    public String device() {
        return Devices.of(model);
    }

    public NestedSpec spec() {
        return spec;
    }

    @Override
    public String summary() {
        StringBuilder b = new StringBuilder(name()).append('\n');
        b.append("  tasks: ").append(names).append(", finished ").append(tasksDone()).append('\n');
        b.append(String.format(Locale.ROOT, "  parameters: %,d%n", parameterCount()));
        history.keyValues().forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        if (tasksDone() >= 2) {
            var s = forgetting().accuracy().summary();
            b.append(String.format(Locale.ROOT, "  accuracy: ACC %.4f, BWT %.4f, forgetting %.4f%n", s.average(),
                    s.backwardTransfer(), s.averageForgetting()));
        }
        b.append("  loss curve: ").append(history.sparkline(40));
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ContinualRun[%s, tasks %s, %d/%d finished, %d steps]", name(), names,
                tasksDone(), names.size(), history.stepCount());
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("tasks", names + " (" + tasksDone() + " finished)");
        rows.put("parameters", String.format(Locale.ROOT, "%,d", parameterCount()));
        rows.putAll(history.keyValues());
        return Html.bundle(summary(), Html.keyValues(name(), rows), ChartFiles.png(plot()));
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
