package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The shared decoder-only Transformer: {@code layers} pre-norm blocks (RoPE causal attention,
 * RMSNorm, SwiGLU or a replacement feed-forward) and a final RMSNorm, over a (B, T, d) input of
 * already-embedded positions (tokens for the baseline, compressed chunks for CALM). Output row i
 * depends on input rows 0..i only.
 *
 * <p>Full pass: {@code forward(ps, x, training)}. Incremental decoding:
 * {@code try (KvCache c = backbone.newCache(manager)) { backbone.forward(ps, prompt, c); backbone.forward(ps, next, c); }}
 */
public final class TransformerBackbone extends AbstractBlock {

    private final BackboneConfig config;
    private final List<TransformerBlock> blocks = new ArrayList<>();
    private final RmsNorm finalNorm;

    /** The standard backbone with SwiGLU feed-forwards. */
    public TransformerBackbone(BackboneConfig config) {
        this(config, i -> TransformerBlock.swiGlu(config));
    }

    /**
     * @param config      shape
     * @param feedForward makes the feed-forward block of layer i (0-based); each call must return a
     *                    new block mapping (B, T, d) to (B, T, d)
     */
    public TransformerBackbone(BackboneConfig config, IntFunction<Block> feedForward) {
        if (config == null) {
            throw new IllegalArgumentException("TransformerBackbone: config is null; use e.g. BackboneConfig.small()");
        }
        this.config = config;
        for (int i = 0; i < config.layers(); i++) {
            blocks.add(addChildBlock("block" + i, new TransformerBlock(config, i, feedForward.apply(i))));
        }
        this.finalNorm = addChildBlock("finalNorm", new RmsNorm(config.d()));
        // GPT-2 style: N(0, 0.02) for every projection of the attention; the feed-forward keeps its own.
        for (TransformerBlock b : blocks) {
            b.attention().setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    /** Full causal pass from position 0: (B, T, d) -> (B, T, d), T <= context. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        int t = checkInput(x);
        if (t > config.context()) {
            throw new IllegalArgumentException("TransformerBackbone: sequence length " + t + " exceeds the context "
                    + config.context() + "; shorten the input or use BackboneConfig.withContext(" + t + ")");
        }
        Positions pos = Positions.of(x.getManager(), config, 0, t, x.getDataType());
        for (TransformerBlock b : blocks) {
            x = b.forward(ps, x, null, pos, training);
        }
        return finalNorm.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Incremental pass (no training): the T rows of x are positions {@code cache.length() ..
     * cache.length() + T - 1}; their keys and values are appended to the cache.
     *
     * @return (B, T, d), equal to the last T rows of a full pass over everything seen so far
     */
    public NDArray forward(ParameterStore ps, NDArray x, KvCache cache) {
        int t = checkInput(x);
        if (cache.layers() != blocks.size()) {
            throw new IllegalArgumentException("TransformerBackbone: the cache has " + cache.layers() + " layers but the model "
                    + blocks.size() + "; make it with this backbone's newCache");
        }
        cache.checkRoom(t);
        Positions pos = Positions.of(x.getManager(), config, cache.length(), t, x.getDataType());
        for (TransformerBlock b : blocks) {
            x = b.forward(ps, x, cache, pos, false);
        }
        cache.advance(t);
        return finalNorm.forward(ps, new NDList(x), false).singletonOrThrow();
    }

    /** A cache for incremental decoding, owning a sub-manager of {@code manager}. */
    public KvCache newCache(NDManager manager) {
        return new KvCache(manager, blocks.size(), config.context());
    }

    private int checkInput(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != config.d()) {
            throw new IllegalArgumentException("TransformerBackbone: input shape " + s + " is not (B, T, d = "
                    + config.d() + "); embed the positions to width d first");
        }
        if (s.get(1) < 1) {
            throw new IllegalArgumentException("TransformerBackbone: input has 0 positions; pass at least one");
        }
        return (int) s.get(1);
    }

    public BackboneConfig config() {
        return config;
    }

    public List<TransformerBlock> blocks() {
        return Collections.unmodifiableList(blocks);
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
