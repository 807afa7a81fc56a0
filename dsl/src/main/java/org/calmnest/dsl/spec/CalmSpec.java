package org.calmnest.dsl.spec;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.result.TrainedAutoencoder;
import org.calmnest.dsl.result.TrainedCalm;
import org.calmnest.lib.data.Corpus;

/**
 * A CALM language model (Shao et al. 2025; CALM.md §2): a chunk autoencoder folds K tokens into a
 * vector of size l; a Transformer over chunk positions predicts the next vector with an energy
 * head trained by the energy score (N model samples against M posterior samples). Two stages in
 * order: {@code calm().autoencoder().train(..)} gives the autoencoder, then
 * {@code calm().autoencoder(ae)....train(..)} the language model. Immutable.
 *
 * @param chunk          K, tokens per chunk
 * @param latent         l, latent size of the autoencoder {@link #autoencoder()} trains; 0 = not set
 *                       ({@value #DEFAULT_LATENT}, or the given autoencoder's l)
 * @param width          backbone width d
 * @param layers         backbone layers
 * @param heads          attention heads
 * @param energySamples  N, head samples per position in the loss (>= 2; 8 in the paper)
 * @param targetSamples  M, posterior samples per position (100 in the paper)
 * @param headBlocks     residual blocks of the energy head (0 = max(1, layers / 4))
 * @param context        backbone context in chunks; training blocks hold context * K tokens
 * @param trainedAutoencoder the trained autoencoder, or null before {@code autoencoder(ae)}
 * @param settings       tokenizer, optimiser, batch, seed, device
 */
public record CalmSpec(int chunk, int latent, int width, int layers, int heads, int energySamples, int targetSamples,
                       int headBlocks, int context, TrainedAutoencoder trainedAutoencoder, RunSettings settings) implements SpecSettings<CalmSpec> {

    /** The latent size {@link #autoencoder()} trains when {@code latent(l)} was not called. */
    public static final int DEFAULT_LATENT = 32;

    public CalmSpec {
        String w = "calm()";
        Check.range(w, "chunk", chunk, 1, 64, "use .chunk(k) with 1 <= k <= 64 (4 in the paper)");
        Check.range(w, "latent", latent, 0, 4096, "use .latent(l) with 1 <= l <= 4096 (about 32 * K)");
        Check.range(w, "width", width, 4, 8192, "use .width(d) with 4 <= d <= 8192 (64 trains in seconds, 256 on a CPU)");
        Check.range(w, "layers", layers, 1, 128, "use .layers(n) with 1 <= n <= 128");
        Check.range(w, "heads", heads, 1, 256, "use .heads(h) with 1 <= h <= 256 dividing the width");
        Check.range(w, "energySamples", energySamples, 2, 1024,
                "use .energySamples(n) with n >= 2 (the energy score needs two samples; 8 in the paper)");
        Check.range(w, "targetSamples", targetSamples, 1, 10_000, "use .targetSamples(m) with m >= 1 (100 in the paper)");
        Check.range(w, "headBlocks", headBlocks, 0, 64, "use .headBlocks(b) with b >= 1, or 0 for max(1, layers / 4)");
        Check.range(w, "context", context, 2, 65_536, "use .context(chunks) with at least 2 chunks, e.g. 16");
        Check.notNull(w, "settings", settings, "start from calm()");
    }

    /**
     * Checks the fields against each other (what {@code train(..)} does first): width and heads
     * (whole, even head sizes) and, with {@code autoencoder(ae)}, K and l against the autoencoder's.
     * The setters check one field each, so they can be called in any order.
     *
     * @return this spec
     * @throws IllegalArgumentException naming both fields, their values and the fix
     */
    public CalmSpec validate() {
        String w = "calm()";
        Check.headsFitWidth(w, width, heads);
        if (trainedAutoencoder != null) {
            int k = trainedAutoencoder.chunk();
            Check.together(k == chunk, w, "chunk", chunk, "autoencoder(ae) chunk", k,
                    "the autoencoder was trained with K = " + k + "; use .chunk(" + k + ") with this autoencoder"
                            + " or train an autoencoder with chunk(" + chunk + ")");
            int l = trainedAutoencoder.latent();
            Check.together(latent == 0 || latent == l, w, "latent", latent, "autoencoder(ae) latent", l,
                    "the language model predicts the autoencoder's latents (l = " + l + "); leave .latent(..) out"
                            + " (it only sizes a new autoencoder) or use .latent(" + l + ")");
        }
        return this;
    }

    /** K = 4, d = 64, 2 layers, 4 heads, N = 4, M = 32, 16-chunk context: under a minute on a CPU. */
    public static CalmSpec tiny() {
        return new CalmSpec(4, 0, 64, 2, 4, 4, 32, 0, 16, null, RunSettings.defaults());
    }

    /**
     * CALM.md §6: d = 256, 4 layers, 4 heads, N = 8, M = 100, 32-chunk context, lr 3e-4 (K and
     * the latent size stay as set: they belong to the autoencoder).
     */
    public CalmSpec small() {
        return new CalmSpec(chunk, latent, 256, 4, 4, 8, 100, 0, 32, trainedAutoencoder, settings.withLearningRate(3e-4));
    }

    /** Tokens per chunk K. */
    public CalmSpec chunk(int k) { return new CalmSpec(k, latent, width, layers, heads, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, settings); }
    /** Latent size l of the autoencoder to train (a given autoencoder brings its own). */
    public CalmSpec latent(int l) {
        Check.range("calm()", "latent", l, 1, 4096, "use .latent(l) with 1 <= l <= 4096 (about 32 * K)");
        return new CalmSpec(chunk, l, width, layers, heads, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, settings);
    }
    /** Backbone width d. */
    public CalmSpec width(int d) { return new CalmSpec(chunk, latent, d, layers, heads, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, settings); }
    /** Backbone layers. */
    public CalmSpec layers(int n) { return new CalmSpec(chunk, latent, width, n, heads, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, settings); }
    /** Attention heads. */
    public CalmSpec heads(int h) { return new CalmSpec(chunk, latent, width, layers, h, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, settings); }
    /** N, energy-head samples per position in the loss. */
    public CalmSpec energySamples(int n) { return new CalmSpec(chunk, latent, width, layers, heads, n, targetSamples, headBlocks, context, trainedAutoencoder, settings); }
    /** M, posterior samples per position in the loss. */
    public CalmSpec targetSamples(int m) { return new CalmSpec(chunk, latent, width, layers, heads, energySamples, m, headBlocks, context, trainedAutoencoder, settings); }
    /** Residual blocks of the energy head (0 = max(1, layers / 4)). */
    public CalmSpec headBlocks(int b) { return new CalmSpec(chunk, latent, width, layers, heads, energySamples, targetSamples, b, context, trainedAutoencoder, settings); }
    /** Backbone context in chunks (training blocks hold context * K tokens). */
    public CalmSpec context(int chunks) { return new CalmSpec(chunk, latent, width, layers, heads, energySamples, targetSamples, headBlocks, chunks, trainedAutoencoder, settings); }
    /** Validation every n steps (0 = only at the end). */
    public CalmSpec evalEvery(long n) { return withSettings(settings.withEvalEvery(n)); }

    @Override
    public CalmSpec withSettings(RunSettings s) {
        return new CalmSpec(chunk, latent, width, layers, heads, energySamples, targetSamples, headBlocks, context, trainedAutoencoder, s);
    }

    /**
     * Stage 1: the autoencoder with this spec's K, l, tokenizer, seed and device (tiny sizes;
     * {@code .small()} for CALM.md §6). Train it with {@code .train(corpus, budget)}.
     */
    public AutoencoderSpec autoencoder() {
        AutoencoderSpec a = AutoencoderSpec.tiny().chunk(chunk).latent(latentSize()).tokenizer(settings.tokenizer())
                .seed(settings.seed()).device(settings.device());
        return settings.maxDocuments() > 0 ? a.maxDocuments(settings.maxDocuments()) : a;
    }

    /**
     * Stage 2: use a trained autoencoder (frozen while the language model trains); its K must
     * match this spec's chunk and its l is the latent size ({@link #validate()} checks both).
     */
    public CalmSpec autoencoder(TrainedAutoencoder ae) {
        Check.notNull("calm().autoencoder(ae)", "ae", ae, "train one first: var ae = calm().autoencoder().train(corpus, minutes(1))");
        return new CalmSpec(chunk, latent, width, layers, heads, energySamples, targetSamples, headBlocks, context, ae, settings);
    }

    /** Trains the language model on the corpus within the budget (needs {@code autoencoder(ae)} first). */
    public TrainedCalm train(Corpus corpus, Budget budget) {
        if (trainedAutoencoder == null) {
            throw new IllegalStateException("calm().train(..): the autoencoder is missing; CALM trains in two stages:"
                    + " var ae = calm().autoencoder().train(corpus, minutes(1)); then calm().autoencoder(ae).train(corpus, minutes(2))");
        }
        return TrainedCalm.train(this, corpus, budget);
    }

    /** Trains with the default budget (300 steps or 45 seconds, whichever comes first). */
    public TrainedCalm train(Corpus corpus) {
        return train(corpus, Budget.DEFAULT);
    }

    /** l in use: the given autoencoder's, else the one set with {@code latent(l)}, else {@value #DEFAULT_LATENT}. */
    public int latentSize() {
        return trainedAutoencoder != null ? trainedAutoencoder.latent() : latent > 0 ? latent : DEFAULT_LATENT;
    }

    /** Training block length in tokens. */
    public int blockLength() {
        return context * chunk;
    }

    /** Always fails: a spec is not a model yet. Train it first, then generate from the result. */
    public String generate(String prompt) { throw NotTrained.error("calm()", "calm().autoencoder(ae)", "generate(..)"); }
    /** Always fails: a spec is not a model yet. Train it first, then generate from the result. */
    public String generate(String prompt, Temperature t) { throw NotTrained.error("calm()", "calm().autoencoder(ae)", "generate(..)"); }
    /** Always fails: a spec is not a model yet. Train it first, then score the result. */
    public Object brierLM() { throw NotTrained.error("calm()", "calm().autoencoder(ae)", "brierLM()"); }

    @Override
    public String toString() {
        return "calm() K=" + chunk + " d=" + width + " L=" + layers + " N=" + energySamples + " context " + context
                + " chunks" + (trainedAutoencoder == null ? ", no autoencoder yet" : ", " + trainedAutoencoder.name());
    }
}
