package org.calmnest.dsl.result;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.run.Devices;
import org.calmnest.dsl.run.ModelFiles;
import org.calmnest.dsl.run.TokenizerResolver;
import org.calmnest.dsl.run.TrainingSession;
import org.calmnest.dsl.spec.AutoencoderSpec;
import org.calmnest.dsl.spec.Check;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.calm.LatentCodec;
import org.calmnest.lib.data.ChunkBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A trained CALM chunk autoencoder ({@code calm().autoencoder().train(corpus, budget)}): held-out
 * reconstruction accuracy, collapsed latent dimensions and the robustness curve
 * ({@link #diagnostics()}), text to latents and back, continue training, save and load. Pass it to
 * {@code calm().autoencoder(ae)} to train a CALM language model on its (frozen) latent space.
 */
public final class TrainedAutoencoder extends TrainedBase {

    static final String KIND = "autoencoder";

    private final AutoencoderSpec spec;
    private final ChunkAutoencoder ae;
    private final ChunkBatches data;
    private AeDiagnostics diagnostics;

    private TrainedAutoencoder(AutoencoderSpec spec, TrainingSession session, Corpus corpus, Tokenizer tok,
                               ChunkAutoencoder ae, ChunkBatches data) {
        super(session, corpus, tok);
        this.spec = spec;
        this.ae = ae;
        this.data = data;
    }

    /** Builds the autoencoder of {@code spec} and trains it (what {@code calm().autoencoder().train(..)} calls). */
    public static TrainedAutoencoder train(AutoencoderSpec spec, Corpus corpus, Budget budget) {
        Corpus c = startTraining("calm().autoencoder().train(..)", corpus, budget, spec::validate, spec.settings());
        return build(spec, c, TokenizerResolver.resolve(spec.settings().tokenizer(), c),
                (ae, data) -> TrainingSession.train(ae, data, spec.settings(), budget));
    }

    /** Loads an autoencoder saved with {@link #save(Path)}; {@code corpus} is its evaluation data. */
    public static TrainedAutoencoder load(Path dir, Corpus corpus) {
        ModelFiles.Meta meta = startLoading(dir, corpus, KIND);
        AutoencoderSpec spec = ModelFiles.spec(meta, AutoencoderSpec.class).validate();
        return build(spec, spec.settings().limit(corpus), ModelFiles.loadTokenizer(dir),
                (ae, data) -> ModelFiles.resume(ae, data, spec.settings(), dir, meta));
    }

    private static TrainedAutoencoder build(AutoencoderSpec spec, Corpus c, Tokenizer tok,
                                            BiFunction<ChunkAutoencoder, ChunkBatches, TrainingSession> session) {
        ChunkAutoencoder ae = create(spec, tok);
        ChunkBatches data = new ChunkBatches(c, tok, spec.chunk(), spec.settings().batch(), 8, false);
        return new TrainedAutoencoder(spec, session.apply(ae, data), c, tok, ae, data);
    }

    private static ChunkAutoencoder create(AutoencoderSpec spec, Tokenizer tok) {
        org.calmnest.dsl.run.EngineThread.prepare();
        AutoencoderConfig cfg = AutoencoderConfig.tiny().withChunkSize(spec.chunk()).withDim(spec.width())
                .withInner(spec.innerWidth()).withLatentDim(spec.latent()).withDropToken(spec.dropToken())
                .withDropLatent(spec.dropLatent()).withKlWeight(spec.klWeight()).withKlClip(spec.klClip());
        ai.djl.Device device = Devices.resolve("calm().autoencoder()", spec.settings().device());
        org.calmnest.lib.train.MemoryEstimate.autoencoder(spec.toString(), cfg, tok.vocabSize(), spec.settings().batch()).requireFits(device);
        return ChunkAutoencoder.create(cfg, tok, spec.settings().seed(), device);
    }

    public AutoencoderSpec spec() {
        return spec;
    }

    /** K, tokens per chunk. */
    public int chunk() {
        return spec.chunk();
    }

    /** l, the latent size. */
    public int latent() {
        return spec.latent();
    }

    @Override
    public String name() {
        return "autoencoder K=" + spec.chunk() + " l=" + spec.latent() + " d=" + spec.width();
    }

    @Override
    public long parameterCount() {
        return ae.parameterCount();
    }

    /** Held-out diagnostics: accuracy from the mean and a sampled z, collapsed dims, robustness. Cached. */
    public AeDiagnostics diagnostics() {
        org.calmnest.dsl.run.EngineThread.prepare();
        if (diagnostics == null) {
            diagnostics = AeDiagnostics.compute(ae, data.validation(), spec.settings().device(), spec.settings().seed());
        }
        return diagnostics;
    }

    /** Held-out token accuracy decoding from the posterior mean. */
    public double accuracy() {
        return diagnostics().accuracyFromMean();
    }

    /** Latent dimensions whose mean KL is below the clip (the paper reports 71 of 128 without clipping). */
    public int collapsedDims() {
        return diagnostics().collapsedDims();
    }

    /** Token accuracy as Gaussian noise of growing std is added to the latent. */
    public XYChart robustness() {
        return diagnostics().robustness();
    }

    /** The posterior means of the text's chunks, (chunks, l). */
    public float[][] encode(String text) {
        org.calmnest.dsl.run.EngineThread.prepare();
        checkText(text);
        return ae.encodeText(text);
    }

    /** Argmax decoding of latent vectors (n, l) to text. */
    public String decode(float[][] z) {
        org.calmnest.dsl.run.EngineThread.prepare();
        Check.notNull("decode(..)", "z", z, "pass latent vectors from encode(text)");
        return ae.decodeText(z);
    }

    /** encode then decode: what survives the round trip through the latent space. */
    public String reconstruct(String text) {
        return decode(encode(text));
    }

    private static void checkText(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("encode(" + (text == null ? "null" : "\"\"")
                    + "): text is empty; pass some text such as \"The Commission\"");
        }
    }

    /** The frozen autoencoder as a latent codec for the CALM language model. */
    LatentCodec codec() {
        ae.freeze();
        return new AeCodec(ae);
    }

    /** Trains for {@code more} and returns this autoencoder (diagnostics recomputed on demand). */
    public TrainedAutoencoder train(Budget more) {
        if (ae.isFrozen()) {
            throw new IllegalStateException("train(..): this autoencoder is frozen because a CALM language model uses it;"
                    + " train a new autoencoder instead (calm().autoencoder().train(..))");
        }
        continueTraining(more);
        return this;
    }

    @Override
    protected void invalidate() {
        diagnostics = null;
    }

    /** Saves spec, tokenizer, parameters, optimiser state and history to a folder. */
    public Path save(Path dir) {
        return writeFolder(dir, KIND, spec, true);
    }

    @Override
    protected Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("shape", "K=" + spec.chunk() + ", l=" + spec.latent() + ", d=" + spec.width() + ", inner " + spec.innerWidth()
                + (spec.klClip() == 0 ? ", no KL clip" : ""));
        m.put("parameters", String.format(Locale.ROOT, "%,d", parameterCount()));
        m.put("data", corpus.name() + ", " + tokenizer.name() + " (V=" + tokenizer.vocabSize() + ")");
        if (!history().steps().isEmpty()) {
            m.putAll(diagnostics().keyValues());
        }
        return m;
    }

    /** One line with the held-out reconstruction accuracy and the collapsed dimensions. */
    @Override
    public String toString() {
        if (history().steps().isEmpty()) {
            return "TrainedAutoencoder[" + name() + ", not trained (interrupted before the first step)]";
        }
        AeDiagnostics d = diagnostics();
        return String.format(Locale.ROOT, "TrainedAutoencoder[%s, %.2f%% token accuracy (sampled z %.2f%%), %d/%d dims collapsed, %d steps%s]",
                name(), 100 * d.accuracyFromMean(), 100 * d.accuracyFromSample(), d.collapsedDims(), d.latentDim(),
                history().stepCount(), history().cancelled() ? ", interrupted" : "");
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> b = super.mimeBundle();
        if (!history().steps().isEmpty()) {
            byte[] png = ChartFiles.png(robustness());
            b.put("text/html", b.get("text/html") + Html.img(png));
        }
        return b;
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        session.close();
        ae.close();
    }
}
