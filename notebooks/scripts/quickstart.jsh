// calmnest quickstart: CALM in a few minutes on a laptop CPU.
// Run: ./calmnest demo   (or ./calmnest run notebooks/scripts/quickstart.jsh)
// 1. a chunk autoencoder folds K = 4 bytes into one latent vector and back;
// 2. a CALM language model predicts the next vector with an energy head;
// 3. a discrete Transformer baseline trains on the same data with the same training FLOPs;
// 4. both are scored with BrierLM on the same held-out text; CALM writes a sample.
// Tiny budgets (steps, capped by minutes on a busy machine): expect CALM to trail the baseline at
// this scale (CALM.md section 6), and low BrierLM for both; the point is the whole pipeline.

var en = europarl("en").limit(600);

var ae = calm().chunk(4).latent(32).autoencoder().width(128).batch(128).learningRate(3e-3).train(en, steps(200).and(minutes(2)));
System.out.printf("autoencoder: %.2f%% token accuracy from the mean, %.2f%% from a sampled z, %d of %d latent dims collapsed%n",
        100 * ae.diagnostics().accuracyFromMean(), 100 * ae.diagnostics().accuracyFromSample(),
        ae.collapsedDims(), ae.latent());
System.out.println("reconstructed: " + ae.reconstruct("The Commission welcomes the report."));

var lm = calm().chunk(4).autoencoder(ae).layers(2).width(64).energySamples(4).train(en, steps(150).and(minutes(1.5)));
var base = transformer().layers(2).width(64).train(en, sameFlopsAs(lm));

System.out.println("CALM        " + lm.brierLM());
System.out.println("Transformer " + base.brierLM());
System.out.println("CALM sample (T = 0.5): The Commission" + lm.generate("The Commission", temperature(0.5).tokens(48)));
System.out.println("Transformer sample (T = 0.5): The Commission" + base.generate("The Commission", temperature(0.5).tokens(48)));

var comparison = compare(lm, base);
comparison.table().print()

// charts (saved as PNG and SVG; their paths are printed)
ae.robustness()
lm.history().plot()
base.history().plot()
comparison.plot()
