package org.calmnest.dsl.result;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.run.Devices;
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
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A trained discrete Transformer baseline ({@code transformer().train(corpus, budget)}): generate
 * text, BrierLM on held-out text, evaluate, continue training, save and load.
 */
public final class TrainedTransformer extends TrainedLmBase {

    static final String KIND = "transformer";

    private final TransformerSpec spec;
    private final TokenLm lm;
    private final BlockBatches data;

    private TrainedTransformer(TransformerSpec spec, TrainingSession session, Corpus corpus, Tokenizer tokenizer,
                               TokenLm lm, BlockBatches data) {
        super(session, corpus, tokenizer);
        this.spec = spec;
        this.lm = lm;
        this.data = data;
    }

    /** Builds the model of {@code spec} and trains it (what {@code transformer().train(..)} calls). */
    public static TrainedTransformer train(TransformerSpec spec, Corpus corpus, Budget budget) {
        Corpus c = startTraining("transformer().train(..)", corpus, budget, spec::validate, spec.settings());
        return build(spec, c, TokenizerResolver.resolve(spec.settings().tokenizer(), c),
                (lm, data) -> TrainingSession.train(lm, data, spec.settings(), budget));
    }

    /**
     * Loads a model saved with {@link #save(Path)}; {@code corpus} is the data it evaluates on and
     * continues training with (normally the one it was trained on).
     */
    public static TrainedTransformer load(Path dir, Corpus corpus) {
        ModelFiles.Meta meta = startLoading(dir, corpus, KIND);
        TransformerSpec spec = ModelFiles.spec(meta, TransformerSpec.class).validate();
        return build(spec, spec.settings().limit(corpus), ModelFiles.loadTokenizer(dir),
                (lm, data) -> ModelFiles.resume(lm, data, spec.settings(), dir, meta));
    }

    private static TrainedTransformer build(TransformerSpec spec, Corpus c, Tokenizer tok,
                                            BiFunction<TokenLm, BlockBatches, TrainingSession> session) {
        TokenLm lm = create(spec, tok);
        BlockBatches data = new BlockBatches(c, tok, spec.evalStride(), spec.context(), spec.settings().batch(), 8);
        return new TrainedTransformer(spec, session.apply(lm, data), c, tok, lm, data);
    }

    private static TokenLm create(TransformerSpec spec, Tokenizer tok) {
        org.calmnest.dsl.run.EngineThread.prepare();
        BackboneConfig bc = new BackboneConfig(spec.width(), spec.layers(), spec.heads(), ffInner(spec.width()),
                spec.context(), 10000);
        org.calmnest.lib.train.MemoryEstimate.tokenLm(spec.toString(), TokenLmConfig.of(tok, bc), spec.settings().batch()).requireFits(Devices.resolve("transformer()", spec.settings().device()));
        TorchRuntime.seed(spec.settings().seed());
        return TokenLm.create(TokenLmConfig.of(tok, bc), spec.settings().seed(), Devices.resolve("transformer()", spec.settings().device()));
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

    /** BrierLM n-grams start every {@code evalStride} tokens, so the blocks match CALM's chunk boundaries. */
    @Override
    protected BrierLm.Result scoreBrier() {
        return TokenLmBrier.score(lm, data.batches(Split.TEST, BRIER_BATCHES), spec.evalStride(), false, spec.settings().seed());
    }

    @Override
    protected int maxPromptTokens() {
        return spec.context() - 1;
    }

    /** Samples from softmax(logits / T), at most up to the end of the context. */
    @Override
    protected String sample(String prompt, Temperature t) {
        return lm.generateText(tokenizer, prompt, Math.min(t.maxTokens(), spec.context() - tokenizer.encode(prompt).length),
                t.t(), spec.settings().seed());
    }

    /** Trains for {@code more} (steps, tokens and FLOPs counted from now) and returns this model. */
    public TrainedTransformer train(Budget more) {
        continueTraining(more);
        return this;
    }

    /** Saves spec, tokenizer, parameters, optimiser state and history to a folder. */
    public Path save(Path dir) {
        return writeFolder(dir, KIND, spec, true);
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
