// CALM against a discrete Transformer at equal training FLOPs (CALM.md sections 3 and 5).
// Run: ./calmnest run notebooks/scripts/calm-vs-transformer.jsh   (10-15 minutes on a 2-core CPU)
// One autoencoder (K = 4), then CALM with K = 4 and two Transformer baselines: one with the same
// training FLOPs as CALM and one with twice as many. All are scored with BrierLM on the same
// held-out blocks (64 tokens, n-grams from every 4th position). The frontier plot shows BrierLM
// against training FLOPs.
// CALMNEST_BUDGET=ci (set by the script-mode test) shrinks every budget to a few steps.

var CI = ciBudget();
var en = europarl("en").limit(CI ? 60 : 1000);

var ae = calm().chunk(4).latent(32).autoencoder().width(CI ? 32 : 128).batch(128).learningRate(3e-3)
        .train(en, CI ? steps(3) : steps(400).and(minutes(3)));
System.out.println(ae.diagnostics());

var lm = calm().chunk(4).autoencoder(ae).layers(2).width(CI ? 32 : 96).heads(4).energySamples(8)
        .train(en, CI ? steps(3) : steps(400).and(minutes(4)));
var base = transformer().layers(2).width(CI ? 32 : 96).heads(4).train(en, sameFlopsAs(lm));
var base2 = transformer().layers(2).width(CI ? 32 : 96).heads(4).train(en, flops(2 * lm.trainingFlops()));

var c = compare(lm, base, base2);
System.out.println(c.summary());
c.table().print()
System.out.println("CALM:        The President" + lm.generate("The President", temperature(0.5).tokens(64)));
System.out.println("Transformer: The President" + base.generate("The President", temperature(0.5).tokens(64)));

c.plot()
lm.history().plot("flops")
base.history().plot("flops")
