package org.calmnest.dsl.result;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.Temperature;
import org.calmnest.dsl.run.Devices;
import org.calmnest.dsl.run.ModelFiles;
import org.calmnest.dsl.run.TrainingSession;
import org.calmnest.dsl.spec.CalmSpec;
import org.calmnest.dsl.spec.Check;
import org.calmnest.lib.calm.CalmBrier;
import org.calmnest.lib.calm.CalmConfig;
import org.calmnest.lib.calm.CalmGenerator;
import org.calmnest.lib.calm.CalmModel;
import org.calmnest.lib.calm.TemperatureSampler;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Split;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A trained CALM language model ({@code calm().autoencoder(ae).train(corpus, budget)}):
 * likelihood-free BrierLM on held-out text, generation with likelihood-free temperature sampling,
 * evaluation and continued training. The autoencoder stays frozen.
 */
public final class TrainedCalm extends TrainedLmBase {

    private final CalmSpec spec;
    private final CalmModel model;
    private final BlockBatches data;

    private TrainedCalm(CalmSpec spec, TrainingSession session, Corpus corpus, CalmModel model, BlockBatches data) {
        super(session, corpus, spec.trainedAutoencoder().tokenizer());
        this.spec = spec;
        this.model = model;
        this.data = data;
    }

    /** Builds the model of {@code spec} on its autoencoder and trains it (what {@code calm()...train(..)} calls). */
    public static TrainedCalm train(CalmSpec spec, Corpus corpus, Budget budget) {
        Check.notNull("calm().train(..)", "autoencoder", spec.trainedAutoencoder(),
                "train one first: var ae = calm().autoencoder().train(corpus, minutes(1)); then calm().autoencoder(ae)");
        Corpus c = startTraining("calm().train(..)", corpus, budget, spec::validate, spec.settings());
        return build(spec, c, (model, data) -> TrainingSession.train(model, data, spec.settings(), budget));
    }

    /** Loads a model saved with {@link #save(Path)} (with its autoencoder); {@code corpus} is its evaluation data. */
    public static TrainedCalm load(Path dir, Corpus corpus) {
        ModelFiles.Meta meta = startLoading(dir, corpus, KIND);
        TrainedAutoencoder ae = TrainedAutoencoder.load(dir.resolve("autoencoder"), corpus);
        CalmSpec spec = ModelFiles.spec(meta, CalmSpec.class).autoencoder(ae).validate();
        return build(spec, spec.settings().limit(corpus), (model, data) -> ModelFiles.resume(model, data, spec.settings(), dir, meta));
    }

    private static TrainedCalm build(CalmSpec spec, Corpus c, BiFunction<CalmModel, BlockBatches, TrainingSession> session) {
        CalmModel model = create(spec);
        BlockBatches data = new BlockBatches(c, spec.trainedAutoencoder().tokenizer(), spec.chunk(), spec.blockLength(),
                spec.settings().batch(), 8);
        return new TrainedCalm(spec, session.apply(model, data), c, model, data);
    }

    private static CalmModel create(CalmSpec spec) {
        org.calmnest.dsl.run.EngineThread.prepare();
        TrainedAutoencoder ae = spec.trainedAutoencoder();
        int ff = TrainedTransformer.ffInner(spec.width());
        BackboneConfig bc = new BackboneConfig(spec.width(), spec.layers(), spec.heads(), ff, spec.context(), 10000);
        CalmConfig cfg = new CalmConfig(bc, spec.chunk(), ae.latent(), ae.tokenizer().vocabSize(),
                spec.headBlocks() > 0 ? spec.headBlocks() : Math.max(1, spec.layers() / 4), 64, spec.energySamples(),
                spec.targetSamples(), 1.0);
        org.calmnest.lib.train.MemoryEstimate.calm(spec.toString(), cfg, spec.settings().batch(), ae.parameterCount()).requireFits(Devices.resolve("calm().train(..)", spec.settings().device()));
        TorchRuntime.seed(spec.settings().seed());
        return CalmModel.create(cfg, ae.codec(), spec.settings().seed(), Devices.resolve("calm().train(..)", spec.settings().device()));
    }

    static final String KIND = "calm";

    /**
     * Saves the language model (parameters, optimiser state, history) and, in the sub-folder
     * {@code autoencoder}, its autoencoder.
     */
    public Path save(Path dir) {
        ModelFiles.folder(dir);
        spec.trainedAutoencoder().save(dir.resolve("autoencoder"));
        CalmSpec plain = new CalmSpec(spec.chunk(), spec.latent(), spec.width(), spec.layers(), spec.heads(),
                spec.energySamples(), spec.targetSamples(), spec.headBlocks(), spec.context(), null, spec.settings());
        return writeFolder(dir, KIND, plain, false);
    }

    public CalmSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return "calm K=" + spec.chunk() + " d=" + spec.width() + " L=" + spec.layers();
    }

    @Override
    public long parameterCount() {
        return model.parameterCount();
    }

    @Override
    public int blockLength() {
        return spec.blockLength();
    }

    /**
     * BrierLM on the same held-out blocks a Transformer with the same block length is scored on,
     * n-grams starting at chunk boundaries, two head samples per position.
     */
    @Override
    protected BrierLm.Result scoreBrier() {
        return CalmBrier.score(model, data.batches(Split.TEST, BRIER_BATCHES), spec.chunk(), tokenizer.pad(), spec.settings().seed());
    }

    @Override
    protected int maxPromptTokens() {
        return (spec.context() - 1) * spec.chunk();
    }

    /**
     * Likelihood-free temperature sampling (CALM.md §4): the exact algorithm, or the batch
     * approximation with {@code temperature(0.5).batch(200)}.
     */
    @Override
    protected String sample(String prompt, Temperature t) {
        CalmGenerator.Options o = new CalmGenerator.Options(t.maxTokens(), t.t(),
                t.exact() ? TemperatureSampler.Mode.EXACT : TemperatureSampler.Mode.BATCH, t.candidates(),
                spec.settings().seed(), true);
        return new CalmGenerator(model, tokenizer).generate(tokenizer, prompt, o);
    }

    /** Trains for {@code more} and returns this model. */
    public TrainedCalm train(Budget more) {
        continueTraining(more);
        return this;
    }

    /** The autoencoder this model predicts the latents of. */
    public TrainedAutoencoder autoencoder() {
        return spec.trainedAutoencoder();
    }

    @Override
    protected Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shape", "K=" + spec.chunk() + ", d=" + spec.width() + ", " + spec.layers() + " layers, " + spec.heads()
                + " heads, context " + spec.context() + " chunks, N=" + spec.energySamples() + ", M=" + spec.targetSamples());
        m.put("parameters", String.format(Locale.ROOT, "%,d (+ frozen autoencoder %,d)", parameterCount(),
                spec.trainedAutoencoder().parameterCount()));
        m.put("data", corpus.name() + ", " + tokenizer.name() + " (V=" + tokenizer.vocabSize() + ")");
        return m;
    }

    /** Frees the model's native memory (the autoencoder stays usable). */
    @Override
    public void close() {
        session.close();
        model.close();
    }
}
