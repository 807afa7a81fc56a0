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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.nn.TransformerBackbone;

/**
 * The trainable network of CALM (the autoencoder is not part of it): chunk input compression,
 * the Transformer backbone over chunk positions and the energy head.
 *
 * <pre>
 *   ids (B, C, K) -> E[ids] (B, C, K, d) -> flatten (B, C, K d)
 *                 -> LayerNorm(Linear(2d -> d)(SiLU(Linear(K d -> 2d)(.)))) (B, C, d)
 *                 -> backbone (B, C, d) = h;   h_i predicts the latent of chunk i + 1
 * </pre>
 */
final class CalmNet extends AbstractBlock {

    private final CalmConfig config;
    private final Parameter embedding; // (V, d), the LM's own token table
    private final Linear compressIn;    // K d -> 2d
    private final Linear compressOut;   // 2d -> d
    private final LayerNorm compressNorm;
    private final TransformerBackbone backbone;
    private final EnergyHead head;

    CalmNet(CalmConfig config) {
        this.config = config;
        int d = config.backbone().d();
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabSize(), d)).optInitializer(new NormalInitializer(0.02f)).build());
        compressIn = addChildBlock("compressIn", Linear.builder().setUnits(2L * d).build());
        compressOut = addChildBlock("compressOut", Linear.builder().setUnits(d).build());
        compressNorm = addChildBlock("compressNorm", EnergyHead.layerNorm());
        compressIn.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        compressOut.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        backbone = addChildBlock("backbone", new TransformerBackbone(config.backbone()));
        head = addChildBlock("head", new EnergyHead(d, config.latentDim(), config.headBlocks(), config.noiseDim()));
    }

    TransformerBackbone backbone() {
        return backbone;
    }

    EnergyHead head() {
        return head;
    }

    /** Embeds and compresses chunks: ids (B, C, K) -> (B, C, d). */
    NDArray embedChunks(ParameterStore ps, NDArray ids, boolean training) {
        Shape s = ids.getShape();
        int d = config.backbone().d();
        NDArray w = ps.getValue(embedding, ids.getDevice(), training); // (V, d)
        NDArray idx = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
        NDArray e = idx.getNDArrayInternal().embedding(idx, w, SparseFormat.DENSE).singletonOrThrow(); // (B, C, K, d)
        NDArray x = e.reshape(s.get(0), s.get(1), s.get(2) * d); // (B, C, K d)
        x = EnergyHead.silu(compressIn.forward(ps, new NDList(x), training).singletonOrThrow()); // (B, C, 2d)
        x = compressOut.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C, d)
        return compressNorm.forward(ps, new NDList(x), training).singletonOrThrow(); // (B, C, d)
    }

    /** Full causal pass: chunk ids (B, C, K) -> hidden states (B, C, d). */
    NDArray hidden(ParameterStore ps, NDArray ids, boolean training) {
        return backbone.forward(ps, embedChunks(ps, ids, training), training);
    }

    /** Incremental pass over new chunks (B, C', K) after those in the cache -> (B, C', d). */
    NDArray hidden(ParameterStore ps, NDArray ids, KvCache cache) {
        return backbone.forward(ps, embedChunks(ps, ids, false), cache);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(hidden(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        int d = config.backbone().d();
        int k = config.chunkSize();
        compressIn.initialize(manager, dataType, new Shape(1, (long) k * d));
        compressOut.initialize(manager, dataType, new Shape(1, 2L * d));
        compressNorm.initialize(manager, dataType, new Shape(1, d));
        backbone.initialize(manager, dataType, new Shape(1, 1, d));
        head.initialize(manager, dataType, new Shape(1, d), new Shape(1, 1, config.noiseDim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), config.backbone().d())};
    }

    /** Forward FLOPs of the input compression of one chunk. */
    double compressFlopsPerChunk() {
        long d = config.backbone().d();
        return 2.0 * config.chunkSize() * d * 2 * d + 2.0 * 2 * d * d;
    }
}
