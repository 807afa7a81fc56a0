package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm decoder block: {@code x = x + Attn(RMSNorm(x))}, {@code x = x + FF(RMSNorm(x))}.
 * The feed-forward part is any block mapping (B, T, d) to (B, T, d): SwiGLU by default, a chain
 * of Continuum Memory levels in the nested-learning model.
 */
public final class TransformerBlock extends AbstractBlock {

    private final RmsNorm attnNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm ffNorm;
    private final Block feedForward;

    /**
     * @param config      backbone shape
     * @param layerIndex  position in the stack (the KV-cache slot)
     * @param feedForward block (B, T, d) -> (B, T, d) used after the second norm
     */
    public TransformerBlock(BackboneConfig config, int layerIndex, Block feedForward) {
        if (feedForward == null) {
            throw new IllegalArgumentException("TransformerBlock: feedForward is null; pass a block (B, T, d) -> (B, T, d), "
                    + "e.g. TransformerBlock.swiGlu(config)");
        }
        this.attnNorm = addChildBlock("attnNorm", new RmsNorm(config.d()));
        this.attention = addChildBlock("attention", new CausalSelfAttention(config, layerIndex));
        this.ffNorm = addChildBlock("ffNorm", new RmsNorm(config.d()));
        this.feedForward = addChildBlock("feedForward", feedForward);
    }

    /** The default feed-forward: SwiGLU d -> ffInner -> d without bias. */
    public static Block swiGlu(BackboneConfig config) {
        return new SwiGlu(config.d(), config.ffInner());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), null, training));
    }

    /**
     * @param x     (B, T, d)
     * @param cache null for a full pass, else the cache at the position of x's first row
     * @return (B, T, d)
     */
    public NDArray forward(ParameterStore ps, NDArray x, KvCache cache, boolean training) {
        int offset = cache == null ? 0 : cache.length();
        BackboneConfig c = attention.config();
        return forward(ps, x, cache, Positions.of(x.getManager(), c, offset, (int) x.getShape().get(1), x.getDataType()), training);
    }

    NDArray forward(ParameterStore ps, NDArray x, KvCache cache, Positions pos, boolean training) {
        NDArray a = attnNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(attention.forward(ps, a, cache, pos, training)); // (B, T, d)
        NDArray f = ffNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        return x.add(feedForward.forward(ps, new NDList(f), training).singletonOrThrow()); // (B, T, d)
    }

    public Block feedForward() {
        return feedForward;
    }

    public CausalSelfAttention attention() {
        return attention;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
