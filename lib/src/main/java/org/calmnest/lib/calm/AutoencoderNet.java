package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.RmsNorm;

import java.util.ArrayList;
import java.util.List;

/**
 * The network of the CALM chunk autoencoder (no attention: every chunk on its own).
 * <pre>
 * encoder  ids (n, K) -> E[ids] (n, K, d) -> AeLayers per token -> flatten (n, K*d)
 *          -> Linear(K*d -> d) -> AeLayers -> RMSNorm -> Linear(d -> 2l) = (mean, log sigma)
 * decoder  z (n, l) -> Linear(l -> d) -> AeLayers -> Linear(d -> K*d) -> (n, K, d)
 *          -> AeLayers per token -> RMSNorm -> logits = h · Eᵀ (n, K, V)
 * </pre>
 * The output projection is the encoder's embedding E itself: one {@link Parameter}.
 * {@link #forward} on ids returns the logits decoded from the mean (no noise).
 */
public final class AutoencoderNet extends AbstractBlock {

    private static final byte VERSION = 1;

    private final AutoencoderConfig config;
    private final int vocab;
    private final Parameter embedding;          // (V, d), tied input/output matrix
    private final List<AeLayer> encTokenLayers = new ArrayList<>();
    private final Linear merge;                 // K*d -> d, with bias
    private final List<AeLayer> encChunkLayers = new ArrayList<>();
    private final RmsNorm encNorm;
    private final Linear toLatent;              // d -> 2l (mean, log sigma)
    private final Linear fromLatent;            // l -> d
    private final List<AeLayer> decChunkLayers = new ArrayList<>();
    private final Linear expand;                // d -> K*d
    private final List<AeLayer> decTokenLayers = new ArrayList<>();
    private final RmsNorm decNorm;

    public AutoencoderNet(AutoencoderConfig config, int vocab) {
        super(VERSION);
        if (config == null) {
            throw new IllegalArgumentException("AutoencoderNet: config is null; pass AutoencoderConfig.small() or another preset");
        }
        if (vocab < 2) {
            throw new IllegalArgumentException("AutoencoderNet: vocab = " + vocab + " is invalid; pass the tokenizer's vocabSize() (>= 2)");
        }
        this.config = config;
        this.vocab = vocab;
        int d = config.dim();
        int f = config.inner();
        int k = config.chunkSize();
        int l = config.latentDim();
        this.embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocab, d)).build());
        for (int i = 0; i < config.layersPerStage(); i++) {
            encTokenLayers.add(addChildBlock("encToken" + i, new AeLayer(d, f)));
        }
        this.merge = addChildBlock("merge", Linear.builder().setUnits(d).optBias(true).build());
        for (int i = 0; i < config.layersPerStage(); i++) {
            encChunkLayers.add(addChildBlock("encChunk" + i, new AeLayer(d, f)));
        }
        this.encNorm = addChildBlock("encNorm", new RmsNorm(d));
        this.toLatent = addChildBlock("toLatent", Linear.builder().setUnits(2L * l).optBias(true).build());
        this.fromLatent = addChildBlock("fromLatent", Linear.builder().setUnits(d).optBias(true).build());
        for (int i = 0; i < config.layersPerStage(); i++) {
            decChunkLayers.add(addChildBlock("decChunk" + i, new AeLayer(d, f)));
        }
        this.expand = addChildBlock("expand", Linear.builder().setUnits((long) k * d).optBias(true).build());
        for (int i = 0; i < config.layersPerStage(); i++) {
            decTokenLayers.add(addChildBlock("decToken" + i, new AeLayer(d, f)));
        }
        this.decNorm = addChildBlock("decNorm", new RmsNorm(d));
    }

    public AutoencoderConfig config() {
        return config;
    }

    public int vocab() {
        return vocab;
    }

    /** The tied embedding / output matrix E, shape (V, d). */
    public Parameter embedding() {
        return embedding;
    }

    /**
     * Encoder. {@code ids} is (n, K) int64; returns {@code [mean, logSigma]}, each (n, l).
     */
    public NDList encode(ParameterStore ps, NDArray ids, boolean training) {
        long n = ids.getShape().get(0);
        int k = config.chunkSize();
        int d = config.dim();
        NDArray e = ps.getValue(embedding, ids.getDevice(), training); // (V, d)
        NDArray x = ids.getNDArrayInternal().embedding(ids, e, SparseFormat.DENSE).singletonOrThrow(); // (n, K, d)
        x = run(encTokenLayers, ps, x, training); // (n, K, d)
        x = x.reshape(n, (long) k * d); // (n, K*d)
        x = merge.forward(ps, new NDList(x), training).singletonOrThrow(); // (n, d)
        x = run(encChunkLayers, ps, x, training); // (n, d)
        x = encNorm.forward(ps, new NDList(x), training).singletonOrThrow(); // (n, d)
        x = toLatent.forward(ps, new NDList(x), training).singletonOrThrow(); // (n, 2l)
        return x.split(2, 1); // [(n, l) mean, (n, l) log sigma]
    }

    /** Decoder. {@code z} is (n, l); returns the logits (n, K, V). */
    public NDArray decode(ParameterStore ps, NDArray z, boolean training) {
        long n = z.getShape().get(0);
        NDArray h = fromLatent.forward(ps, new NDList(z), training).singletonOrThrow(); // (n, d)
        h = run(decChunkLayers, ps, h, training); // (n, d)
        h = expand.forward(ps, new NDList(h), training).singletonOrThrow(); // (n, K*d)
        h = h.reshape(n, config.chunkSize(), config.dim()); // (n, K, d)
        h = run(decTokenLayers, ps, h, training); // (n, K, d)
        h = decNorm.forward(ps, new NDList(h), training).singletonOrThrow(); // (n, K, d)
        NDArray e = ps.getValue(embedding, z.getDevice(), training); // (V, d)
        return Linear.linear(h, e).singletonOrThrow(); // h · Eᵀ, (n, K, V)
    }

    private static NDArray run(List<AeLayer> layers, ParameterStore ps, NDArray x, boolean training) {
        for (AeLayer layer : layers) {
            x = layer.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList stats = encode(ps, inputs.singletonOrThrow(), training);
        return new NDList(decode(ps, stats.get(0), training)); // logits from the mean, (n, K, V)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int k = config.chunkSize();
        int d = config.dim();
        int l = config.latentDim();
        Shape tok = new Shape(1, k, d);
        Shape chunk = new Shape(1, d);
        encTokenLayers.forEach(b -> b.initialize(manager, dataType, tok));
        merge.initialize(manager, dataType, new Shape(1, (long) k * d));
        encChunkLayers.forEach(b -> b.initialize(manager, dataType, chunk));
        encNorm.initialize(manager, dataType, chunk);
        toLatent.initialize(manager, dataType, chunk);
        fromLatent.initialize(manager, dataType, new Shape(1, l));
        decChunkLayers.forEach(b -> b.initialize(manager, dataType, chunk));
        expand.initialize(manager, dataType, chunk);
        decTokenLayers.forEach(b -> b.initialize(manager, dataType, tok));
        decNorm.initialize(manager, dataType, tok);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.chunkSize(), vocab)};
    }
}
