package org.calmnest.dsl.result;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.run.ModelFiles;
import org.calmnest.dsl.run.TokenizerResolver;
import org.calmnest.dsl.run.TrainingSession;
import org.calmnest.dsl.spec.Check;
import org.calmnest.dsl.spec.TransformerSpec;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmBrier;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Split;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained discrete Transformer baseline ({@code transformer().train(corpus, budget)}): generate
 * text, BrierLM on held-out text, evaluate, continue training, save and load.
 */
public final class TrainedTransformer extends TrainedBase implements TrainedLm {

    /** Held-out batches BrierLM is computed on (test split). */
    public static final int BRIER_BATCHES = 2;
    static final String KIND = "transformer";

    private final TransformerSpec spec;
    private final TokenLm lm;
    private final BlockBatches data;
    private BrierScore brier;

    private TrainedTransformer(TransformerSpec spec, TrainingSession session, Corpus corpus, Tokenizer tokenizer,
                               TokenLm lm, BlockBatches data) {
        super(session, corpus, tokenizer);
        this.spec = spec;
        this.lm = lm;
        this.data = data;
    }

    /** Builds the model of {@code spec} and trains it (what {@code transformer().train(..)} calls). */
    public static TrainedTransformer train(TransformerSpec spec, Corpus corpus, Budget budget) {
        Check.notNull("transformer().train(..)", "corpus", corpus, "pass a corpus such as europarl(\"en\") or text(\"notes.txt\")");
        Check.notNull("transformer().train(..)", "budget", budget, "pass a budget such as steps(300) or minutes(1)");
        spec.validate();
        Corpus c = spec.settings().maxDocuments() > 0 ? corpus.limit(spec.settings().maxDocuments()) : corpus;
        Tokenizer tok = TokenizerResolver.resolve(spec.settings().tokenizer(), c);
        TokenLm lm = create(spec, tok);
        BlockBatches data = new BlockBatches(c, tok, spec.evalStride(), spec.context(), spec.settings().batch(), 8);
        TrainingSession s = TrainingSession.train(lm, data, spec.settings(), budget);
        return new TrainedTransformer(spec, s, c, tok, lm, data);
    }

    private static TokenLm create(TransformerSpec spec, Tokenizer tok) {
        org.calmnest.dsl.run.EngineThread.prepare();
        BackboneConfig bc = new BackboneConfig(spec.width(), spec.layers(), spec.heads(), ffInner(spec.width()),
                spec.context(), 10000);
        TorchRuntime.seed(spec.settings().seed());
        return TokenLm.create(TokenLmConfig.of(tok, bc), spec.settings().seed(), TorchRuntime.device(spec.settings().device()));
    }

    /** SwiGLU inner width about 8/3 d, rounded up to a multiple of 8. */
    static int ffInner(int d) {
        return (d * 8 / 3 + 7) / 8 * 8;
    }

    public TransformerSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return "transformer d=" + spec.width() + " L=" + spec.layers();
    }

    @Override
    public long parameterCount() {
        return lm.parameterCount();
    }

    @Override
    public int blockLength() {
        return spec.context();
    }

    /**
     * BrierLM on the corpus's held-out test split (at most {@value #BRIER_BATCHES} batches of
     * blocks), n-grams starting every {@code evalStride} tokens, with the two-sample estimator CALM
     * also uses. Cached until training continues.
     */
    @Override
    public BrierScore brierLM() {
        org.calmnest.dsl.run.EngineThread.prepare();
        if (brier == null) {
            var r = TokenLmBrier.score(lm, data.batches(Split.TEST, BRIER_BATCHES), spec.evalStride(), false,
                    spec.settings().seed());
            brier = BrierScore.of(name(), r, trainingFlops());
        }
        return brier;
    }

    /** Continues from the prompt with temperature 1 (at most 64 tokens). */
    @Override
    public String generate(String prompt) {
        return generate(prompt, Temperature.of(1.0));
    }

    /** Continues from the prompt, sampling from softmax(logits / T). */
    @Override
    public String generate(String prompt, Temperature t) {
        org.calmnest.dsl.run.EngineThread.prepare();
        Check.notNull("generate(..)", "temperature", t, "pass temperature(0.5) or leave it out");
        checkPrompt(prompt, tokenizer, spec.context() - 1);
        return lm.generateText(tokenizer, prompt, Math.min(t.maxTokens(), spec.context() - tokenizer.encode(prompt).length),
                t.t(), spec.settings().seed());
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

    /** Trains for {@code more} (steps, tokens and FLOPs counted from now) and returns this model. */
    public TrainedTransformer train(Budget more) {
        continueTraining(more);
        return this;
    }

    @Override
    protected void invalidate() {
        brier = null;
    }

    /** Saves spec, tokenizer, parameters, optimiser state and history to a folder. */
    public Path save(Path dir) {
        ModelFiles.folder(dir);
        try {
            tokenizer.save(dir.resolve(ModelFiles.TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("save(\"" + dir + "\"): writing the tokenizer failed: " + e.getMessage(), e);
        }
        session.saveCheckpoint(dir.resolve(ModelFiles.CHECKPOINT));
        ModelFiles.writeMeta(dir, KIND, corpus.name(), spec, history(), Map.of());
        return dir;
    }

    /**
     * Loads a model saved with {@link #save(Path)}; {@code corpus} is the data it evaluates on and
     * continues training with (normally the one it was trained on).
     */
    public static TrainedTransformer load(Path dir, Corpus corpus) {
        Check.notNull("load(..)", "corpus", corpus, "pass the corpus to evaluate and continue on, e.g. europarl(\"en\")");
        ModelFiles.Meta meta = ModelFiles.readMeta(dir, KIND);
        TransformerSpec spec = ModelFiles.spec(meta, TransformerSpec.class).validate();
        Tokenizer tok;
        try {
            tok = Tokenizers.load(dir.resolve(ModelFiles.TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("load(\"" + dir + "\"): reading the tokenizer failed: " + e.getMessage(), e);
        }
        Corpus c = spec.settings().maxDocuments() > 0 ? corpus.limit(spec.settings().maxDocuments()) : corpus;
        TokenLm lm = create(spec, tok);
        BlockBatches data = new BlockBatches(c, tok, spec.evalStride(), spec.context(), spec.settings().batch(), 8);
        TrainingSession s = TrainingSession.resume(lm, data, spec.settings(), dir.resolve(ModelFiles.CHECKPOINT),
                ModelFiles.history(meta));
        return new TrainedTransformer(spec, s, c, tok, lm, data);
    }

    @Override
    protected Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shape", "d=" + spec.width() + ", " + spec.layers() + " layers, " + spec.heads() + " heads, blocks of "
                + spec.context() + " tokens");
        m.put("parameters", String.format(java.util.Locale.ROOT, "%,d", parameterCount()));
        m.put("data", corpus.name() + ", " + tokenizer.name() + " (V=" + tokenizer.vocabSize() + ")");
        m.put("held-out accuracy", fmt(history().lastMetric("accuracy")));
        return m;
    }

    /** Frees the model's native memory; the object cannot be used afterwards. */
    @Override
    public void close() {
        session.close();
        lm.close();
    }
}
