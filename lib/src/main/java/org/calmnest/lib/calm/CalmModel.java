package org.calmnest.lib.calm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.calmnest.lib.flops.Flops;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Continuous Autoregressive Language Model (Shao et al. 2025, "Continuous Autoregressive
 * Language Models", arXiv 2510.27688): next-<i>vector</i> prediction over chunks of K tokens.
 *
 * <p>A batch row of T ids (T a multiple of K) is C = T / K chunks. The backbone reads chunks
 * 0..C-2 (each embedded from its K tokens, see {@link CalmNet}); its state h_i is fed to the energy
 * head, whose N samples x_n(h_i) are scored against M samples of the frozen autoencoder's posterior
 * of chunk i + 1 with the energy score
 * <pre>  loss = 2 mean_{n,m} ||x_n - y_m|| - 1/(N(N-1)) sum_{i != j} ||x_i - x_j||,  y_m = mu + eps_m sigma.</pre>
 * Chunk 0 is only context. Generation ({@link CalmGenerator}) samples z from the head, decodes it
 * with the autoencoder (argmax) and embeds the K decoded tokens as the next input.
 *
 * <p>Owns its parameters in its own manager; the autoencoder stays the caller's (close both).
 */
public final class CalmModel implements TrainableModel, AutoCloseable {

    private final CalmConfig config;
    private final LatentCodec codec;
    private final NDManager manager;
    private final CalmNet net;
    private final ParameterStore ps;
    private final EnergyScoreLoss lossFn;

    private CalmModel(CalmConfig config, LatentCodec codec, Device device, long seed) {
        if (config == null || codec == null) {
            throw new IllegalArgumentException("CalmModel needs a CalmConfig and the frozen autoencoder (got "
                    + (config == null ? "config = null" : "autoencoder = null") + ")");
        }
        checkCodec(config, codec);
        this.config = config;
        this.codec = codec;
        this.lossFn = config.loss();
        this.manager = TorchRuntime.engine().newBaseManager(device);
        TorchRuntime.seed(seed);
        this.net = new CalmNet(config);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, config.chunkSize()));
        this.ps = new ParameterStore(manager, false);
    }

    /** A freshly initialised model on the default device, seeded; {@code codec} must be frozen. */
    public static CalmModel create(CalmConfig config, LatentCodec codec, long seed) {
        return new CalmModel(config, codec, TorchRuntime.device("auto"), seed);
    }

    public static CalmModel create(CalmConfig config, LatentCodec codec, long seed, Device device) {
        return new CalmModel(config, codec, device, seed);
    }

    private static void checkCodec(CalmConfig c, LatentCodec ae) {
        if (ae.chunkSize() != c.chunkSize()) {
            throw new IllegalArgumentException("CalmModel: the autoencoder's chunk size K = " + ae.chunkSize()
                    + " does not match CalmConfig.chunkSize = " + c.chunkSize()
                    + "; train the autoencoder with the same K or build the config from it");
        }
        if (ae.vocabSize() != c.vocabSize()) {
            throw new IllegalArgumentException("CalmModel: the autoencoder's vocabulary V = " + ae.vocabSize()
                    + " does not match CalmConfig.vocabSize = " + c.vocabSize()
                    + "; use the tokenizer the autoencoder was trained with");
        }
        if (ae.latentDim() != c.latentDim()) {
            throw new IllegalArgumentException("CalmModel: the autoencoder's latent size l = " + ae.latentDim()
                    + " does not match CalmConfig.latentDim = " + c.latentDim() + "; build the config from the autoencoder");
        }
    }

    public CalmConfig config() {
        return config;
    }

    public LatentCodec codec() {
        return codec;
    }

    @Override
    public String name() {
        BackboneConfig b = config.backbone();
        return "calm K=" + config.chunkSize() + " d=" + b.d() + " L=" + b.layers() + " l=" + config.latentDim();
    }

    @Override
    public Block block() {
        return net;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            params.add(p.getValue());
        }
        return List.of(ParameterGroup.every("calm", params));
    }

    /** Trainable parameters (backbone, compression, head; the frozen autoencoder is not counted). */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : net.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Parameters of the energy head alone (the paper keeps it near 10 % of the model). */
    public long headParameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : net.head().getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    /** Number of chunks of a batch row, checking that the row length is a positive multiple of K. */
    int chunksPerRow(TrainBatch batch) {
        int k = config.chunkSize();
        if (batch.cols() % k != 0 || batch.cols() < 2 * k) {
            throw new IllegalArgumentException("CalmModel: batch rows hold " + batch.cols() + " ids; a row must be a"
                    + " multiple of K = " + k + " and hold at least 2 chunks (use BlockBatches with a block length"
                    + " that is a multiple of K)");
        }
        int c = batch.cols() / k;
        if (c - 1 > config.backbone().context()) {
            throw new IllegalArgumentException("CalmModel: a row of " + batch.cols() + " ids is " + c + " chunks, so "
                    + (c - 1) + " input positions, more than the context " + config.backbone().context()
                    + "; use blocks of at most " + (config.backbone().context() + 1) * k + " ids or a larger context");
        }
        return c;
    }

    /** The batch as chunk ids (B, C, K), INT64, in {@code m}. */
    NDArray chunkIds(NDManager m, TrainBatch batch) {
        int c = chunksPerRow(batch);
        long[] ids = new long[batch.ids().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.ids()[i];
        }
        return m.create(ids, new Shape(batch.rows(), c, config.chunkSize()));
    }

    /**
     * Hidden states h_i for i = 0..C-2 of every row, flattened to (P, d) with P = B (C - 1), and the
     * ids of the chunk each predicts, (P, K).
     */
    NDArray[] hiddenAndTargets(NDManager m, TrainBatch batch, boolean training) {
        NDArray ids = chunkIds(m, batch); // (B, C, K)
        long b = ids.getShape().get(0);
        long c = ids.getShape().get(1);
        int k = config.chunkSize();
        NDArray inputs = ids.get(":, 0:" + (c - 1)); // (B, C-1, K)
        NDArray next = ids.get(":, 1:").reshape(b * (c - 1), k); // (P, K)
        NDArray h = net.hidden(new ParameterStore(m, false), inputs, training); // (B, C-1, d)
        return new NDArray[] {h.reshape(b * (c - 1), config.backbone().d()), next};
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        NDArray[] ht = hiddenAndTargets(m, batch, training);
        NDArray[] post = codec.posterior(ht[1]); // 2 x (P, l), no gradient
        NDArray x = net.head().sample(new ParameterStore(m, false), ht[0], config.samples(), training); // (N, P, l)
        return lossFn.loss(x, post[0], post[1]);
    }

    /**
     * Draws {@code n} head samples for every input position of the batch.
     *
     * @return {samples (n, P, l), true next-chunk ids (P, K)}, in {@code m}
     */
    NDArray[] sampleLatents(NDManager m, TrainBatch batch, int n) {
        NDArray[] ht = hiddenAndTargets(m, batch, false);
        NDArray x = net.head().sample(new ParameterStore(m, false), ht[0], n, false);
        return new NDArray[] {x, ht[1]};
    }

    /** Samples from the head for given hidden states h (P, d): (n, P, l). */
    NDArray sampleHead(NDArray h, int n) {
        return net.head().sample(new ParameterStore(h.getManager(), false), h, n, false);
    }

    /** Full causal pass over chunk ids (B, C, K) (no training): (B, C, d). */
    NDArray hidden(NDArray chunkIds) {
        return net.hidden(new ParameterStore(chunkIds.getManager(), false), chunkIds, false);
    }

    /** Incremental pass over new chunk ids (B, C', K) with a cache: (B, C', d). */
    NDArray hidden(NDArray chunkIds, KvCache cache) {
        return net.hidden(new ParameterStore(chunkIds.getManager(), false), chunkIds, cache);
    }

    /** A KV cache over chunk positions, in a sub-manager of {@code m}. */
    KvCache newCache(NDManager m) {
        return net.backbone().newCache(m);
    }

    /**
     * Analytic forward FLOPs of one row of C chunks: compression of C-1 input chunks, the causal
     * backbone over C-1 positions, the head with N samples at each, the energy-score distances and
     * the frozen encoder on the C-1 target chunks.
     */
    public double forwardFlops(int chunks) {
        int p = chunks - 1;
        double d2 = config.latentDim() * 2.0;
        double loss = p * (double) config.samples() * (config.targetSamples() + config.samples()) * d2;
        return p * net.compressFlopsPerChunk()
                + Flops.backboneForward(config.backbone(), p)
                + p * net.head().forwardFlops(config.samples())
                + loss;
    }

    /**
     * Training FLOPs of a batch: 3x the forward of the trainable parts, plus one forward of the
     * frozen encoder for the targets (no backward through it).
     */
    @Override
    public double trainingFlops(TrainBatch batch) {
        int c = chunksPerRow(batch);
        double encoder = (c - 1) * codec.encodeFlopsPerChunk();
        return batch.rows() * (Flops.training(forwardFlops(c)) + encoder);
    }

    /**
     * Inference FLOPs per generated token with a KV cache, after a prompt of {@code promptChunks}
     * chunks while generating {@code newChunks} chunks: per chunk, the compression of the input
     * chunk, one cached backbone step, one head sample and one autoencoder decode; divided by K.
     */
    public double inferenceFlopsPerToken(int promptChunks, int newChunks) {
        if (promptChunks < 1 || newChunks < 1) {
            throw new IllegalArgumentException("CalmModel.inferenceFlopsPerToken: promptChunks = " + promptChunks
                    + ", newChunks = " + newChunks + "; both must be >= 1");
        }
        double backbone = Flops.meanBackboneDecodeStep(config.backbone(), promptChunks - 1, promptChunks + newChunks - 2);
        double perChunk = net.compressFlopsPerChunk() + backbone + net.head().forwardFlops(1) + codec.decodeFlopsPerChunk();
        return perChunk / config.chunkSize();
    }

    @Override
    public Map<String, Double> evalMetrics(NDManager m, TrainBatch batch) {
        // chunk accuracy of one head sample decoded by the autoencoder (token-level match rate)
        NDArray[] xs = sampleLatents(m, batch, 1);
        long p = xs[1].getShape().get(0);
        NDArray decoded = codec.decode(xs[0].reshape(p, config.latentDim())); // (P, K)
        double acc = decoded.eq(xs[1]).toType(DataType.FLOAT32, false).mean().getFloat();
        return Map.of("sampleTokenAccuracy", acc);
    }

    @Override
    public String configJson() {
        return config.toJson();
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }
}
