package org.calmnest.dsl.spec;

/**
 * The run settings every model spec shares (tokenizer, optimiser, batch, seed, device, how much
 * data), as fluent calls: each spec implements {@link #settings()} and {@link #withSettings} and
 * gets the rest. Like every spec call, each returns a new spec and checks its one argument.
 *
 * @param <S> the spec type (self type, so {@code calm().seed(7)} is still a {@code CalmSpec})
 */
public interface SpecSettings<S extends SpecSettings<S>> {

    /** Tokenizer, optimiser, batch, seed, device and data settings of this spec. */
    RunSettings settings();

    /** A copy of this spec with other run settings. */
    S withSettings(RunSettings settings);

    /**
     * Tokenizer: {@code bytes()} or {@code bpe(n)} (a BPE is trained on the training corpus; in a
     * continual run on the first task). A given CALM autoencoder brings its own.
     */
    default S tokenizer(TokenizerSpec t) {
        return withSettings(settings().withTokenizer(t));
    }

    /** AdamW peak learning rate, 0 &lt; lr &lt; 1 (3e-4 in the papers, 1e-3 for tiny models). */
    default S learningRate(double lr) {
        return withSettings(settings().withLearningRate(lr));
    }

    /** Linear learning-rate warm-up over the first n steps (at most a tenth of a step budget is used). */
    default S warmup(long steps) {
        return withSettings(settings().withWarmupSteps(steps));
    }

    /** Rows per batch: chunks for the autoencoder, blocks of tokens for the language models. */
    default S batch(int rows) {
        return withSettings(settings().withBatch(rows));
    }

    /** Seed of initialisation, data order and sampling. */
    default S seed(long s) {
        return withSettings(settings().withSeed(s));
    }

    /**
     * Device the parameters live and train on: "auto" (a GPU when the engine sees one, else the
     * CPU), "cpu", "gpu" or "gpu:N". A GPU that is not there fails when training starts.
     */
    default S device(String d) {
        return withSettings(settings().withDevice(d));
    }

    /** Uses at most n documents of the corpus (of each task's corpus in a continual run); 0 = all. */
    default S maxDocuments(int n) {
        return withSettings(settings().withMaxDocuments(n));
    }
}
