package org.calmnest.lib.calm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CALM chunk autoencoder (Shao et al. 2025, "Continuous Autoregressive Language Models",
 * section 3.1): K tokens &lt;-&gt; one vector of size l, trained with DropToken, a reparameterised
 * latent, DropLatent and a KL term with free bits:
 * <pre>  loss = K * CE(decode(dropLatent(mean + sigma * eps)), ids) + w * sum_i max(kl_i, clip)</pre>
 * where the encoder reads the ids with a fraction replaced by the tokenizer's MASK id.
 *
 * <p>Training batches are (chunks, K) id matrices. After training, {@link #freeze()} it and use
 * {@link #encode} / {@link #decode} (NDArrays in the caller's manager) or the host-side
 * {@link #encodeText} / {@link #decodeText}; the CALM language model sees it through
 * {@link ChunkAutoencoderCodec}. The parameters live in this object's own manager:
 * close it when done.
 */
public final class ChunkAutoencoder implements TrainableModel, AutoCloseable {

    private final AutoencoderConfig config;
    private final Tokenizer tokenizer;
    private final NDManager manager;
    private final AutoencoderNet net;
    private boolean frozen;

    private ChunkAutoencoder(AutoencoderConfig config, Tokenizer tokenizer, NDManager manager, AutoencoderNet net) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.net = net;
    }

    /** A freshly initialised autoencoder (weights ~ N(0, initStd²), biases 0, norm scales 1). */
    public static ChunkAutoencoder create(AutoencoderConfig config, Tokenizer tokenizer, long seed) {
        return create(config, tokenizer, seed, TorchRuntime.device("auto"));
    }

    /** As {@link #create(AutoencoderConfig, Tokenizer, long)} on a chosen device. */
    public static ChunkAutoencoder create(AutoencoderConfig config, Tokenizer tokenizer, long seed, Device device) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("ChunkAutoencoder: tokenizer is null; pass the tokenizer of the corpus, e.g. Tokenizers.bytes()");
        }
        AutoencoderNet net = new AutoencoderNet(config, tokenizer.vocabSize());
        NDManager manager = TorchRuntime.engine().newBaseManager(device);
        TorchRuntime.seed(seed);
        net.setInitializer(new NormalInitializer((float) config.initStd()), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, config.chunkSize()));
        return new ChunkAutoencoder(config, tokenizer, manager, net);
    }

    /** Reads an autoencoder written by {@link #save}; the tokenizer stored with it is rebuilt. */
    public static ChunkAutoencoder load(Path file) throws IOException {
        return AutoencoderIO.load(file, null, 0);
    }

    /** Reads an autoencoder written by {@link #save}, checking that it was trained with {@code tokenizer}. */
    public static ChunkAutoencoder load(Path file, Tokenizer tokenizer) throws IOException {
        return AutoencoderIO.load(file, tokenizer, 0);
    }

    /** As {@link #load(Path, Tokenizer)}, also checking the chunk size K the caller expects. */
    public static ChunkAutoencoder load(Path file, Tokenizer tokenizer, int expectedChunkSize) throws IOException {
        if (expectedChunkSize < 1) {
            throw new IllegalArgumentException("ChunkAutoencoder.load: expectedChunkSize = " + expectedChunkSize
                    + " is invalid; pass the K of your data (>= 1)");
        }
        return AutoencoderIO.load(file, tokenizer, expectedChunkSize);
    }

    static ChunkAutoencoder restore(AutoencoderConfig config, Tokenizer tokenizer, java.io.DataInputStream params)
            throws IOException {
        AutoencoderNet net = new AutoencoderNet(config, tokenizer.vocabSize());
        NDManager manager = TorchRuntime.engine().newBaseManager(TorchRuntime.device("auto"));
        try {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, config.chunkSize()));
            net.loadParameters(manager, params);
        } catch (ai.djl.MalformedModelException | RuntimeException e) {
            manager.close();
            throw new IOException("ChunkAutoencoder.load: the parameters do not match the stored config " + config
                    + " (" + e.getMessage() + "); the file is damaged or was not written by ChunkAutoencoder.save", e);
        }
        return new ChunkAutoencoder(config, tokenizer, manager, net);
    }

    /** Writes config, tokenizer and parameters to one file, atomically (temporary file, then rename). */
    public void save(Path file) throws IOException {
        AutoencoderIO.save(this, file);
    }

    public AutoencoderConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int chunkSize() {
        return config.chunkSize();
    }

    public int latentDim() {
        return config.latentDim();
    }

    /** V, the tokenizer's vocabulary size. */
    public int vocabSize() {
        return tokenizer.vocabSize();
    }

    /** The DJL network (parameters, encode and decode on a ParameterStore). */
    public AutoencoderNet net() {
        return net;
    }

    /** Stops gradients to every parameter (the CALM language model trains with the autoencoder frozen). */
    public void freeze() {
        net.freezeParameters(true);
        frozen = true;
    }

    /** Makes the parameters trainable again. */
    public void unfreeze() {
        net.freezeParameters(false);
        frozen = false;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /** Number of trainable scalars (the tied embedding counted once). */
    public long parameterCount() {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /**
     * The posterior of each chunk, without noise: ids (n, K) integer -> {@code [mean, sigma]}, each
     * (n, l), attached to {@code m}. When frozen, the results carry no gradient.
     */
    public NDList encode(NDManager m, NDArray ids) {
        NDArray in = checkIds(ids.toType(DataType.INT64, false));
        NDList st = net.encode(new ParameterStore(m, false), in, false);
        NDArray mean = st.get(0);
        NDArray sigma = st.get(1).exp();
        if (frozen) {
            mean = mean.stopGradient();
            sigma = sigma.stopGradient();
        }
        return new NDList(mean, sigma);
    }

    /** Logits (n, K, V) of latent vectors z (n, l), attached to {@code m}. */
    public NDArray logits(NDManager m, NDArray z) {
        if (z.getShape().dimension() != 2 || z.getShape().get(1) != config.latentDim()) {
            throw new IllegalArgumentException("ChunkAutoencoder.decode: z has shape " + z.getShape()
                    + "; pass (n, " + config.latentDim() + ") latent vectors");
        }
        return net.decode(new ParameterStore(m, false), z, false);
    }

    /** Argmax decoding: latent vectors z (n, l) -> ids (n, K) int64, attached to {@code m}. */
    public NDArray decode(NDManager m, NDArray z) {
        return logits(m, z).argMax(-1); // (n, K)
    }

    /** Latent means of the text's chunks (n, l); see {@link #encodeTextPosterior}. */
    public float[][] encodeText(String text) {
        return encodeTextPosterior(text).mean();
    }

    /**
     * Mean and sigma of each chunk of the text: its ids (no EOS added) padded with PAD to a multiple
     * of K. Text with no ids has no chunks: an IllegalArgumentException.
     */
    public Latents encodeTextPosterior(String text) {
        int[][] chunks = TextChunks.chunk(tokenizer, text, config.chunkSize());
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = m.create(TextChunks.flatten(chunks), new Shape(chunks.length, config.chunkSize()));
            NDList st = encode(m, ids);
            return new Latents(TextChunks.rows(st.get(0)), TextChunks.rows(st.get(1)));
        }
    }

    /** Argmax ids (n, K) of host-side latent vectors (n, l). */
    public int[][] decodeIds(float[][] z) {
        TextChunks.checkLatents(z, config.latentDim());
        try (NDManager m = manager.newSubManager()) {
            NDArray zs = m.create(TextChunks.flatten(z), new Shape(z.length, config.latentDim()));
            long[] flat = decode(m, zs).toLongArray();
            int[][] out = new int[z.length][config.chunkSize()];
            for (int i = 0; i < flat.length; i++) {
                out[i / config.chunkSize()][i % config.chunkSize()] = (int) flat[i];
            }
            return out;
        }
    }

    /** Text of latent vectors (n, l): argmax ids, special ids (PAD, EOS...) dropped by the tokenizer. */
    public String decodeText(float[][] z) {
        return tokenizer.decode(TextChunks.flatten(decodeIds(z)));
    }

    // ---- TrainableModel ----

    @Override
    public String name() {
        return "calm-ae K=" + config.chunkSize() + " d=" + config.dim() + " l=" + config.latentDim();
    }

    @Override
    public Block block() {
        return net;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return List.of(ParameterGroup.every("autoencoder", List.copyOf(net.getParameters().values())));
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        NDArray ids = batchIds(m, batch); // (n, K)
        return lossTerms(m, ids, training).get(0);
    }

    /**
     * {@code [loss, ce, klClipped]} of ids (n, K). Training: DropToken on the input, sampled z,
     * DropLatent. Evaluation: the clean input and z = mean (deterministic).
     */
    NDList lossTerms(NDManager m, NDArray ids, boolean training) {
        ParameterStore ps = new ParameterStore(m, false);
        NDArray in = training ? VariationalObjective.dropToken(m, ids, config.dropToken(), tokenizer.mask()) : ids;
        NDList st = net.encode(ps, in, training);
        NDArray mean = st.get(0); // (n, l)
        NDArray logSigma = st.get(1); // (n, l)
        NDArray z = training
                ? VariationalObjective.dropLatent(m, VariationalObjective.reparameterise(m, mean, logSigma), config.dropLatent())
                : mean; // (n, l)
        NDArray logits = net.decode(ps, z, training); // (n, K, V)
        NDArray ce = VariationalObjective.crossEntropy(logits, ids); // ()
        NDArray kl = VariationalObjective.klClipped(VariationalObjective.klPerDim(mean, logSigma), config.klClip()); // ()
        NDArray loss = ce.mul((float) config.chunkSize()).add(kl.mul((float) config.klWeight())); // ()
        return new NDList(loss, ce, kl);
    }

    @Override
    public double trainingFlops(TrainBatch batch) {
        return 3.0 * 2.0 * config.forwardMacsPerChunk(tokenizer.vocabSize()) * batch.rows();
    }

    @Override
    public Map<String, Double> evalMetrics(NDManager m, TrainBatch batch) {
        NDArray ids = batchIds(m, batch); // (n, K)
        NDArray mean = encode(m, ids).get(0); // (n, l)
        Reconstruction r = Reconstruction.of(decode(m, mean), ids, tokenizer.pad());
        return Map.of("accuracy", r.tokenAccuracy(), "exactMatch", r.chunkExactMatch());
    }

    @Override
    public String configJson() {
        return AutoencoderIO.headerJson(this);
    }

    /** The ids of a training batch as (rows, K) int64 on this model's device, validated. */
    NDArray batchIds(NDManager m, TrainBatch batch) {
        if (batch.cols() != config.chunkSize()) {
            throw new IllegalArgumentException("ChunkAutoencoder: batch has " + batch.cols() + " ids per row but K = "
                    + config.chunkSize() + "; build batches with chunk size " + config.chunkSize());
        }
        if (batch.rows() < 1) {
            throw new IllegalArgumentException("ChunkAutoencoder: batch has 0 rows; pass at least one chunk");
        }
        int v = tokenizer.vocabSize();
        long[] ids = new long[batch.ids().length];
        for (int i = 0; i < ids.length; i++) {
            int id = batch.ids()[i];
            if (id < 0 || id >= v) {
                throw new IllegalArgumentException("ChunkAutoencoder: id " + id + " at position " + i
                        + " is outside the vocabulary [0, " + v + "); encode the text with the autoencoder's tokenizer");
            }
            ids[i] = id;
        }
        return m.create(ids, new Shape(batch.rows(), batch.cols())).toDevice(manager.getDevice(), false);
    }

    private NDArray checkIds(NDArray ids) {
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) != config.chunkSize() || s.get(0) < 1) {
            throw new IllegalArgumentException("ChunkAutoencoder.encode: ids have shape " + s + "; pass (n >= 1, K = "
                    + config.chunkSize() + ") chunks");
        }
        return ids;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return name() + " (" + parameterCount() + " parameters, tokenizer " + tokenizer.name() + ")";
    }

    /** Host-side posterior of a text's chunks, (n, l) each. */
    public record Latents(float[][] mean, float[][] sigma) {
    }
}
