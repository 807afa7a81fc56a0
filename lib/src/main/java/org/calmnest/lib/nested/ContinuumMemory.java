package org.calmnest.lib.nested;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import org.calmnest.lib.nn.RmsNorm;
import org.calmnest.lib.nn.SwiGlu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Continuum Memory System (Nested Learning, section 3; NESTED.md section 3): a chain of residual
 * SwiGLU levels, each with its own RMSNorm,
 * <pre>  z_0 = x,   z_l = z_{l-1} + SwiGLU_l(RMSNorm_l(z_{l-1})),   CMS(x) = z_k - x</pre>
 * used as the feed-forward of a Transformer (or HOPE) block, which adds its own residual, so the
 * block computes {@code x + CMS(norm(x))}. The levels differ only in how often the training loop
 * updates them: {@link #levelParameters(int)} gives level l's parameters for a
 * {@link org.calmnest.lib.train.ParameterGroup} with period C_l.
 */
public final class ContinuumMemory extends AbstractBlock {

    private final CmsConfig config;
    private final int dim;
    private final List<RmsNorm> norms = new ArrayList<>();
    private final List<SwiGlu> mlps = new ArrayList<>();

    /**
     * @param dim    model width d
     * @param config levels, inner width and periods
     */
    public ContinuumMemory(int dim, CmsConfig config) {
        if (dim < 1) {
            throw new IllegalArgumentException("ContinuumMemory: dim = " + dim + " is invalid; use the model width (>= 1)");
        }
        if (config == null) {
            throw new IllegalArgumentException("ContinuumMemory: config is null; use e.g. CmsConfig.of(inner, 1, 8, 64)");
        }
        this.dim = dim;
        this.config = config;
        for (int l = 0; l < config.levels(); l++) {
            norms.add(addChildBlock("norm" + l, new RmsNorm(dim)));
            mlps.add(addChildBlock("mlp" + l, new SwiGlu(dim, config.inner())));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();                                           // (..., d)
        NDArray z = x;
        for (int l = 0; l < mlps.size(); l++) {
            NDArray h = norms.get(l).forward(ps, new NDList(z), training).singletonOrThrow();
            z = z.add(mlps.get(l).forward(ps, new NDList(h), training).singletonOrThrow()); // (..., d)
        }
        return new NDList(z.sub(x));                                                      // sum of the level increments
    }

    public CmsConfig config() {
        return config;
    }

    public int levels() {
        return mlps.size();
    }

    /** The parameters of level l (its norm and its SwiGLU). */
    public List<Parameter> levelParameters(int level) {
        if (level < 0 || level >= mlps.size()) {
            throw new IllegalArgumentException("ContinuumMemory.levelParameters: level " + level + " is not in [0, " + mlps.size() + ")");
        }
        List<Parameter> out = new ArrayList<>();
        for (Block b : List.of(norms.get(level), mlps.get(level))) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                out.add(p.getValue());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Trainable numbers in the CMS. */
    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
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

    @Override
    public String toString() {
        return "ContinuumMemory(d=" + dim + ", " + config + ")";
    }
}
