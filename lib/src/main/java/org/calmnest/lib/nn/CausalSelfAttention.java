package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Causal multi-head self-attention with rotary positions:
 * {@code q, k, v = x W_qkv}, {@code q, k <- RoPE}, {@code y = softmax(q k^T / sqrt(hd) + M) v},
 * {@code out = y W_o}, where {@code M[i][j] = -inf} when key position j lies after query position
 * i. No biases (Llama). With a {@link KvCache} the new positions attend to every cached one.
 */
public final class CausalSelfAttention extends AbstractBlock {

    private final BackboneConfig config;
    private final int layerIndex;
    private final Linear qkv;
    private final Linear out;

    /**
     * @param config     backbone shape
     * @param layerIndex which cache slot this layer uses
     */
    public CausalSelfAttention(BackboneConfig config, int layerIndex) {
        this.config = config;
        this.layerIndex = layerIndex;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * config.d()).optBias(false).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(config.d()).optBias(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), null, training));
    }

    /**
     * @param x     (B, T, d)
     * @param cache null for a full causal pass from position 0; otherwise the cache whose
     *              {@link KvCache#length()} is the position of x's first row
     * @return (B, T, d)
     */
    public NDArray forward(ParameterStore ps, NDArray x, KvCache cache, boolean training) {
        int offset = cache == null ? 0 : cache.length();
        return forward(ps, x, cache, Positions.of(x.getManager(), config, offset, (int) x.getShape().get(1), x.getDataType()), training);
    }

    /** As above with the RoPE tables and causal mask shared by all layers of one pass. */
    NDArray forward(ParameterStore ps, NDArray x, KvCache cache, Positions pos, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        int t = (int) s.get(1);
        int h = config.heads();
        int hd = config.headDim();
        NDList qkvParts = qkv.forward(ps, new NDList(x), training).singletonOrThrow().split(3, 2); // 3 x (B, T, d)
        NDArray q = heads(qkvParts.get(0), b, t, h, hd); // (B, H, T, hd)
        NDArray k = heads(qkvParts.get(1), b, t, h, hd);
        NDArray v = heads(qkvParts.get(2), b, t, h, hd);
        q = Rope.apply(q, pos.cos(), pos.sin());
        k = Rope.apply(k, pos.cos(), pos.sin());
        if (cache != null) {
            NDArray[] kv = cache.append(layerIndex, k, v); // (B, H, P + T, hd)
            k = kv[0];
            v = kv[1];
        }
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(hd)); // (B, H, T, P + T)
        scores = scores.add(pos.causalBias()); // + (1, 1, T, P + T)
        NDArray y = scores.softmax(3).matMul(v); // (B, H, T, hd)
        y = y.transpose(0, 2, 1, 3).reshape(b, t, config.d()); // (B, T, d)
        return out.forward(ps, new NDList(y), training).singletonOrThrow();
    }

    private static NDArray heads(NDArray a, long b, int t, int h, int hd) {
        return a.reshape(b, t, h, hd).transpose(0, 2, 1, 3); // (B, H, T, hd)
    }

    /** 0 where query i (at position offset + i) may see key j, -inf where j > offset + i. */
    static NDArray causalBias(NDManager m, int t, int keys, int offset, DataType type) {
        float[] bias = new float[t * keys];
        for (int i = 0; i < t; i++) {
            for (int j = offset + i + 1; j < keys; j++) {
                bias[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return m.create(bias, new Shape(1, 1, t, keys)).toType(type, false);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes);
        out.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    public BackboneConfig config() {
        return config;
    }
}
