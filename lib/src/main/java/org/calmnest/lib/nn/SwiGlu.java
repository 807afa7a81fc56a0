package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Gated feed-forward layer of Shazeer (2020), "GLU Variants Improve Transformer", without bias:
 * <pre>  SwiGLU(x) = down( silu(gate(x)) * up(x) )</pre>
 * with {@code gate, up: d -> inner} and {@code down: inner -> d}. Works on the last axis of any
 * rank {@code (..., d)} and returns {@code (..., d)}.
 */
public final class SwiGlu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final int inner;
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    /**
     * @param dim   input and output width d, >= 1
     * @param inner hidden width of the gate and up projections, >= 1
     */
    public SwiGlu(int dim, int inner) {
        super(VERSION);
        if (dim < 1) {
            throw new IllegalArgumentException("SwiGlu: dim = " + dim + " is invalid; use the model width (>= 1)");
        }
        if (inner < 1) {
            throw new IllegalArgumentException("SwiGlu: inner = " + inner + " is invalid; use the hidden width (>= 1), e.g. about 2.7 * dim");
        }
        this.dim = dim;
        this.inner = inner;
        this.gate = addChildBlock("gate", Linear.builder().setUnits(inner).optBias(false).build());
        this.up = addChildBlock("up", Linear.builder().setUnits(inner).optBias(false).build());
        this.down = addChildBlock("down", Linear.builder().setUnits(dim).optBias(false).build());
    }

    public int dim() {
        return dim;
    }

    public int inner() {
        return inner;
    }

    /** The gate projection d -> inner (weight shape (inner, d)). */
    public Linear gate() {
        return gate;
    }

    /** The up projection d -> inner (weight shape (inner, d)). */
    public Linear up() {
        return up;
    }

    /** The down projection inner -> d (weight shape (d, inner)). */
    public Linear down() {
        return down;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (..., d)
        checkWidth(x.getShape());
        NDArray g = gate.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., inner)
        NDArray u = up.forward(ps, new NDList(x), training).singletonOrThrow(); // (..., inner)
        NDArray h = Activation.swish(g, 1f).mul(u); // silu(g) * u, (..., inner)
        return down.forward(ps, new NDList(h), training); // (..., d)
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType dataType,
                                         Shape... inputShapes) {
        checkWidth(inputShapes[0]);
        gate.initialize(manager, dataType, inputShapes[0]);
        up.initialize(manager, dataType, inputShapes[0]);
        down.initialize(manager, dataType, inputShapes[0].slice(0, inputShapes[0].dimension() - 1).add(inner));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkWidth(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    private void checkWidth(Shape s) {
        LastAxis.require("SwiGlu", "this layer", s, dim);
    }

    @Override
    public String toString() {
        return "SwiGlu(" + dim + " -> " + inner + " -> " + dim + ", no bias)";
    }
}
