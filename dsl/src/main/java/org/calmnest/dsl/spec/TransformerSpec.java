package org.calmnest.dsl.spec;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.result.TrainedTransformer;
import org.calmnest.lib.data.Corpus;

/**
 * The discrete next-token Transformer baseline (same backbone as CALM: RoPE, RMSNorm, SwiGLU,
 * causal attention; cross-entropy over the vocabulary). Immutable; create it with
 * {@code transformer()}.
 *
 * @param width      model width d
 * @param layers     Transformer blocks
 * @param heads      attention heads (width / heads must be a whole, even number; checked by {@link #validate()})
 * @param context    training block length in tokens (a multiple of evalStride; checked by {@link #validate()})
 * @param evalStride BrierLM scores n-grams starting every evalStride tokens (CALM's K, for comparisons)
 * @param settings   tokenizer, optimiser, batch, seed, device
 */
public record TransformerSpec(int width, int layers, int heads, int context, int evalStride, RunSettings settings) implements SpecSettings<TransformerSpec> {

    public TransformerSpec {
        String w = "transformer()";
        Check.range(w, "width", width, 4, 8192, "use .width(d) with 4 <= d <= 8192 (64 trains in seconds, 256 on a CPU)");
        Check.range(w, "layers", layers, 1, 128, "use .layers(n) with 1 <= n <= 128");
        Check.range(w, "heads", heads, 1, 256, "use .heads(h) with 1 <= h <= 256 dividing the width");
        Check.range(w, "evalStride", evalStride, 1, 64, "use .evalStride(k) with 1 <= k <= 64 (CALM's chunk size K, 4 by default)");
        Check.range(w, "context", context, 2, 65_536, "use .context(t) with 2 <= t <= 65536 tokens, e.g. 64");
        Check.notNull(w, "settings", settings, "start from transformer()");
    }

    /**
     * Checks the fields against each other (what {@code train(..)} does first): width and heads
     * (whole, even head sizes), context and evalStride (a multiple, at least two n-gram starts).
     * The setters check one field each, so they can be called in any order.
     *
     * @return this spec
     * @throws IllegalArgumentException naming both fields, their values and the fix
     */
    public TransformerSpec validate() {
        String w = "transformer()";
        Check.headsFitWidth(w, width, heads);
        Check.together(context % evalStride == 0 && context >= 2 * evalStride, w, "context", context, "evalStride", evalStride,
                "the context must be a multiple of evalStride holding at least two n-gram starts; with evalStride("
                        + evalStride + ") use .context(t) with t a multiple of " + evalStride + " and t >= " + 2 * evalStride
                        + " such as context(" + Math.max(2 * evalStride, (context + evalStride - 1) / evalStride * evalStride)
                        + "), or .evalStride(k) with k dividing " + context + " and k <= " + context / 2);
        return this;
    }

    /** d = 64, 2 layers, 4 heads, blocks of 64 tokens: trains in well under a minute on a CPU. */
    public static TransformerSpec tiny() {
        return new TransformerSpec(64, 2, 4, 64, 4, RunSettings.defaults());
    }

    /** CALM.md §6 baseline: d = 256, 4 layers, 4 heads, blocks of 128 tokens, lr 3e-4. */
    public TransformerSpec small() {
        return new TransformerSpec(256, 4, 4, 128, evalStride, settings.withLearningRate(3e-4));
    }

    /** Model width d. */
    public TransformerSpec width(int d) { return new TransformerSpec(d, layers, heads, context, evalStride, settings); }
    /** Number of Transformer blocks. */
    public TransformerSpec layers(int n) { return new TransformerSpec(width, n, heads, context, evalStride, settings); }
    /** Attention heads. */
    public TransformerSpec heads(int h) { return new TransformerSpec(width, layers, h, context, evalStride, settings); }
    /** Training block length in tokens. */
    public TransformerSpec context(int tokens) { return new TransformerSpec(width, layers, heads, tokens, evalStride, settings); }
    /** BrierLM n-grams start every k tokens (use CALM's K when comparing with CALM). */
    public TransformerSpec evalStride(int k) { return new TransformerSpec(width, layers, heads, context, k, settings); }
    /** Validation every n steps (0 = only at the end). */
    public TransformerSpec evalEvery(long n) { return withSettings(settings.withEvalEvery(n)); }

    @Override
    public TransformerSpec withSettings(RunSettings s) {
        return new TransformerSpec(width, layers, heads, context, evalStride, s);
    }

    /** Trains the model on the corpus's training split within the budget (progress shown, interruptible). */
    public TrainedTransformer train(Corpus corpus, Budget budget) {
        return TrainedTransformer.train(this, corpus, budget);
    }

    /** Trains with the default budget (300 steps or 45 seconds, whichever comes first). */
    public TrainedTransformer train(Corpus corpus) {
        return train(corpus, Budget.DEFAULT);
    }

    /** Always fails: a spec is not a model yet. Train it first, then generate from the result. */
    public String generate(String prompt) { throw NotTrained.error("transformer()", "transformer()", "generate(..)"); }
    /** Always fails: a spec is not a model yet. Train it first, then generate from the result. */
    public String generate(String prompt, Temperature t) { throw NotTrained.error("transformer()", "transformer()", "generate(..)"); }
    /** Always fails: a spec is not a model yet. Train it first, then score the result. */
    public Object brierLM() { throw NotTrained.error("transformer()", "transformer()", "brierLM()"); }

    @Override
    public String toString() {
        return "transformer() d=" + width + " L=" + layers + " H=" + heads + " T=" + context + " " + settings.tokenizer();
    }
}
