package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * Root-mean-square layer normalisation (Zhang &amp; Sennrich 2019) over the last axis, with a
 * learnable per-feature scale {@code g} (initialised to 1) and no bias:
 * <pre>  y = x / sqrt(mean(x², last axis) + eps) * g</pre>
 * Works on any rank {@code (..., d)}; the output has the input's shape.
 */
public final class RmsNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int dim;
    private final float eps;
    private final Parameter scale;

    /** RMSNorm over a last axis of size {@code dim}, with eps = 1e-6. */
    public RmsNorm(int dim) {
        this(dim, 1e-6f);
    }

    /**
     * @param dim size of the normalised (last) axis, >= 1
     * @param eps added to the mean square for stability, > 0
     */
    public RmsNorm(int dim, float eps) {
        super(VERSION);
        if (dim < 1) {
            throw new IllegalArgumentException("RmsNorm: dim = " + dim + " is invalid; use the feature width (>= 1)");
        }
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw new IllegalArgumentException("RmsNorm: eps = " + eps + " is invalid; use a small positive value such as 1e-6");
        }
        this.dim = dim;
        this.eps = eps;
        this.scale = addParameter(Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(dim))
                .optInitializer(new ConstantInitializer(1f))
                .build());
    }

    /** Size of the normalised axis. */
    public int dim() {
        return dim;
    }

    /** The learnable scale g, shape (dim). */
    public Parameter scale() {
        return scale;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow(); // (..., d)
        checkWidth(x.getShape());
        NDArray g = ps.getValue(scale, x.getDevice(), training); // (d)
        NDArray rms = x.square().mean(new int[] {-1}, true).add(eps).sqrt(); // (..., 1)
        return new NDList(x.div(rms).mul(g)); // (..., d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkWidth(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    private void checkWidth(Shape s) {
        LastAxis.require("RmsNorm", "this norm", s, dim);
    }

    @Override
    public String toString() {
        return "RmsNorm(" + dim + ", eps=" + eps + ")";
    }
}
