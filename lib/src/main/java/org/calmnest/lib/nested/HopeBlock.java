package org.calmnest.lib.nested;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.RmsNorm;

/**
 * One HOPE layer: {@code x = x + SMM(RMSNorm(x))}, {@code x = x + FF(RMSNorm(x))} with the
 * self-modifying memory as the mixer and (usually) a Continuum Memory System as the feed-forward.
 */
public final class HopeBlock extends AbstractBlock {

    private final RmsNorm memNorm;
    private final SelfModifyingMemory memory;
    private final RmsNorm ffNorm;
    private final Block feedForward;

    public HopeBlock(int dim, HopeConfig hope, Block feedForward) {
        this.memNorm = addChildBlock("memNorm", new RmsNorm(dim));
        this.memory = addChildBlock("memory", new SelfModifyingMemory(dim, hope));
        this.ffNorm = addChildBlock("ffNorm", new RmsNorm(dim));
        this.feedForward = addChildBlock("feedForward", feedForward);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                                 // (B, T, d)
        NDArray m = memNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        x = x.add(memory.forward(ps, m, training));
        NDArray f = ffNorm.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(x.add(feedForward.forward(ps, new NDList(f), training).singletonOrThrow()));
    }

    public Block feedForward() {
        return feedForward;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }
}
