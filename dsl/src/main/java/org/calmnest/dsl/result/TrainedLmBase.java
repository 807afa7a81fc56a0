package org.calmnest.dsl.result;

import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.run.EngineThread;
import org.calmnest.dsl.run.TrainingSession;
import org.calmnest.dsl.spec.Check;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.eval.BrierLm;

/**
 * What the trained language models (CALM and the Transformer baseline) share: BrierLM cached until
 * training continues, and generation with the prompt checked against the model's context.
 */
abstract class TrainedLmBase extends TrainedBase implements TrainedLm {

    /** Held-out batches BrierLM is computed on (test split). */
    static final int BRIER_BATCHES = 2;

    private BrierScore brier;

    TrainedLmBase(TrainingSession session, Corpus corpus, Tokenizer tokenizer) {
        super(session, corpus, tokenizer);
    }

    /** BrierLM of the model on at most {@value #BRIER_BATCHES} held-out test batches (not cached). */
    protected abstract BrierLm.Result scoreBrier();

    /** The most prompt tokens the model's context holds. */
    protected abstract int maxPromptTokens();

    /** Samples a continuation of a checked prompt. */
    protected abstract String sample(String prompt, Temperature t);

    /**
     * BrierLM on the corpus's held-out test split (at most {@value #BRIER_BATCHES} batches of
     * blocks), with the two-sample estimator for both kinds of model. Cached until training continues.
     */
    @Override
    public BrierScore brierLM() {
        EngineThread.prepare();
        if (brier == null) {
            brier = BrierScore.of(name(), scoreBrier(), trainingFlops());
        }
        return brier;
    }

    /** Continues from the prompt at temperature 1 (at most 64 tokens). */
    @Override
    public String generate(String prompt) {
        return generate(prompt, Temperature.of(1.0));
    }

    /** Continues from the prompt at temperature T (at most {@code t.maxTokens()} tokens). */
    @Override
    public String generate(String prompt, Temperature t) {
        EngineThread.prepare();
        Check.notNull("generate(..)", "temperature", t, "pass temperature(0.5) or leave it out");
        checkPrompt(prompt, tokenizer, maxPromptTokens());
        return sample(prompt, t);
    }

    static void checkPrompt(String prompt, Tokenizer tok, int maxTokens) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("generate(" + (prompt == null ? "null" : "\"\"")
                    + "): prompt is empty; pass some text such as \"The Commission\"");
        }
        int n = tok.encode(prompt).length;
        if (n > maxTokens) {
            throw new IllegalArgumentException("generate(..): the prompt has " + n + " tokens but the model's context holds "
                    + maxTokens + "; shorten the prompt or train with a longer context");
        }
    }

    @Override
    protected void invalidate() {
        brier = null;
    }
}
