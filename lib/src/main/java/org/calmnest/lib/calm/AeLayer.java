package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.RmsNorm;
import org.calmnest.lib.nn.SwiGlu;

/**
 * The autoencoder's building block (CALM section 3.1): a pre-norm residual feed-forward layer
 * without attention, {@code AeLayer(x) = x + SwiGLU(RMSNorm(x))}, on the last axis of any rank.
 */
public final class AeLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RmsNorm norm;
    private final SwiGlu ff;

    public AeLayer(int dim, int inner) {
        super(VERSION);
        this.norm = addChildBlock("norm", new RmsNorm(dim));
        this.ff = addChildBlock("ff", new SwiGlu(dim, inner));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (..., d)
        NDArray h = norm.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., d)
        return new NDList(x.add(ff.forward(ps, new NDList(h), training).singletonOrThrow())); // (..., d)
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes[0]);
        ff.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return norm.getOutputShapes(inputShapes);
    }
}
