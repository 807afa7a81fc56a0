package org.calmnest.dsl.spec;

/**
 * How a spec trains, shared by every model spec: tokenizer, optimiser learning rate and warm-up,
 * batch size, seed, device and how often to validate.
 *
 * @param tokenizer    bytes() or bpe(n)
 * @param learningRate AdamW peak learning rate
 * @param warmupSteps  linear warm-up steps
 * @param batch        rows per batch (chunks for the autoencoder, blocks for language models)
 * @param seed         seeds initialisation, data order and sampling
 * @param device       "auto", "cpu", "gpu" or "gpu:N"
 * @param evalEvery    validation every E steps (0 = only at the end)
 * @param maxDocuments use at most this many documents of the corpus (0 = all)
 */
public record RunSettings(TokenizerSpec tokenizer, double learningRate, long warmupSteps, int batch,
                          long seed, String device, long evalEvery, int maxDocuments) {

    public RunSettings {
        Check.notNull("spec", "tokenizer", tokenizer, "use .tokenizer(bytes()) or .tokenizer(bpe(2048))");
        Check.that(Double.isFinite(learningRate) && learningRate > 0 && learningRate < 1, "spec", "learningRate",
                learningRate, "use .learningRate(x) with 0 < x < 1, e.g. 3e-4 (the paper) or 1e-3 for tiny models");
        Check.that(warmupSteps >= 0, "spec", "warmupSteps", warmupSteps, "use .warmup(n) with n >= 0");
        Check.range("spec", "batch", batch, 1, 65_536, "use .batch(n) with 1 <= n <= 65536, e.g. 16");
        Check.notNull("spec", "device", device, "use .device(\"auto\"), \"cpu\", \"gpu\" or \"gpu:N\"");
        String d = device.trim().toLowerCase(java.util.Locale.ROOT);
        Check.that(d.equals("auto") || d.equals("cpu") || d.matches("(gpu|cuda)(:\\d+)?"), "spec", "device", device,
                "use .device(\"auto\"), \"cpu\", \"gpu\" or \"gpu:N\"");
        Check.that(evalEvery >= 0, "spec", "evalEvery", evalEvery, "use .evalEvery(n) with n >= 1, or 0 to validate only at the end");
        Check.that(maxDocuments >= 0, "spec", "maxDocuments", maxDocuments, "use .maxDocuments(n) with n >= 1, or 0 for all");
    }

    /** Defaults: bytes, lr 1e-3 (tiny models), 20 warm-up steps, batch 16, seed 42, validation every 50 steps. */
    public static RunSettings defaults() {
        return new RunSettings(TokenizerSpec.bytes(), 1e-3, 20, 16, Defaults.seed(), Defaults.device(), 50, 0);
    }

    /** The corpus cut to {@link #maxDocuments()} documents (the whole corpus when 0). */
    public org.calmnest.lib.data.Corpus limit(org.calmnest.lib.data.Corpus corpus) {
        return maxDocuments > 0 ? corpus.limit(maxDocuments) : corpus;
    }

    public RunSettings withTokenizer(TokenizerSpec v) { return new RunSettings(v, learningRate, warmupSteps, batch, seed, device, evalEvery, maxDocuments); }
    public RunSettings withLearningRate(double v) { return new RunSettings(tokenizer, v, warmupSteps, batch, seed, device, evalEvery, maxDocuments); }
    public RunSettings withWarmupSteps(long v) { return new RunSettings(tokenizer, learningRate, v, batch, seed, device, evalEvery, maxDocuments); }
    public RunSettings withBatch(int v) { return new RunSettings(tokenizer, learningRate, warmupSteps, v, seed, device, evalEvery, maxDocuments); }
    public RunSettings withSeed(long v) { return new RunSettings(tokenizer, learningRate, warmupSteps, batch, v, device, evalEvery, maxDocuments); }
    public RunSettings withDevice(String v) { return new RunSettings(tokenizer, learningRate, warmupSteps, batch, seed, v, evalEvery, maxDocuments); }
    public RunSettings withEvalEvery(long v) { return new RunSettings(tokenizer, learningRate, warmupSteps, batch, seed, device, v, maxDocuments); }
    public RunSettings withMaxDocuments(int v) { return new RunSettings(tokenizer, learningRate, warmupSteps, batch, seed, device, evalEvery, v); }
}
