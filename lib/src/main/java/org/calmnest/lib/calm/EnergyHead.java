package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * The energy-based generative head of CALM (Shao et al. 2025, §3.2; CALM.md §2): one forward pass
 * turns a hidden state h and a fresh noise vector u into one sample z of the next latent vector.
 *
 * <pre>
 *   u ~ U(-0.5, 0.5)^noise             e = LayerNorm(Linear(noise -> d)(u))
 *   c = LayerNorm(Linear(d -> d)(h))
 *   B times:  t = Linear(d -> 2d)(SiLU(Linear(d -> d)(SiLU(Linear(2d -> d)([LayerNorm(e), c])))))
 *             gate, up = split(t);  e = e + Linear(d -> d)(SiLU(gate) * up)
 *   z = Linear(d -> l)(SiLU(Linear(d -> d)(LayerNorm(e))))     (last Linear zero-initialised)
 * </pre>
 *
 * Inputs of {@link #forward}: h (P, d) and u (N, P, noise); output z (N, P, l). The conditioning c
 * is computed once per position and shared by its N samples.
 */
public final class EnergyHead extends AbstractBlock {

    private final int hidden;
    private final int latent;
    private final int noiseDim;
    private final Linear noiseIn;
    private final LayerNorm noiseNorm;
    private final Linear condIn;
    private final LayerNorm condNorm;
    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final LayerNorm outNorm;
    private final Linear outHidden;
    private final Linear out;

    /**
     * @param hidden   d, width of the backbone's hidden state and of the head
     * @param latent   l, size of the autoencoder's latent vector
     * @param blocks   B >= 1 residual blocks (reference: layers / 4)
     * @param noiseDim size of the uniform noise (64 in the paper)
     */
    public EnergyHead(int hidden, int latent, int blocks, int noiseDim) {
        require(hidden >= 1, "hidden", hidden);
        require(latent >= 1, "latent", latent);
        require(blocks >= 1, "blocks", blocks);
        require(noiseDim >= 1, "noiseDim", noiseDim);
        this.hidden = hidden;
        this.latent = latent;
        this.noiseDim = noiseDim;
        noiseIn = addChildBlock("noiseIn", Linear.builder().setUnits(hidden).build());
        noiseNorm = addChildBlock("noiseNorm", layerNorm());
        condIn = addChildBlock("condIn", Linear.builder().setUnits(hidden).build());
        condNorm = addChildBlock("condNorm", layerNorm());
        for (int i = 0; i < blocks; i++) {
            this.blocks.add(addChildBlock("block" + i, new ResidualBlock(hidden)));
        }
        outNorm = addChildBlock("outNorm", layerNorm());
        outHidden = addChildBlock("outHidden", Linear.builder().setUnits(hidden).build());
        out = addChildBlock("out", Linear.builder().setUnits(latent).build());
        setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    }

    private static void require(boolean ok, String field, int value) {
        if (!ok) {
            throw new IllegalArgumentException("EnergyHead." + field + " = " + value + " is invalid: use a value >= 1");
        }
    }

    /**
     * LayerNorm over the last axis. DJL takes the normalised shape from axis 1 of the (1, d)
     * initialisation shape; torch's layer_norm then normalises the last axis of any rank.
     */
    static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(1).build();
    }

    /** SiLU(x) = x * sigmoid(x). */
    static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    public int noiseDim() {
        return noiseDim;
    }

    public int latent() {
        return latent;
    }

    /**
     * Draws {@code n} samples per position with fresh uniform noise from {@code h}'s manager.
     *
     * @param h hidden states (P, d)
     * @return samples (n, P, l)
     */
    public NDArray sample(ParameterStore ps, NDArray h, int n, boolean training) {
        NDManager m = h.getManager();
        NDArray u = m.randomUniform(-0.5f, 0.5f, new Shape(n, h.getShape().get(0), noiseDim), h.getDataType());
        return forward(ps, new NDList(h, u), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.get(0); // (P, d)
        NDArray u = inputs.get(1); // (N, P, noise)
        long n = u.getShape().get(0);
        NDArray e = noiseNorm.forward(ps, noiseIn.forward(ps, new NDList(u), training), training).head(); // (N, P, d)
        NDArray c = condNorm.forward(ps, condIn.forward(ps, new NDList(h), training), training).head(); // (P, d)
        NDArray cn = c.expandDims(0).broadcast(new Shape(n, c.getShape().get(0), hidden)); // (N, P, d)
        for (ResidualBlock b : blocks) {
            e = b.forward(ps, new NDList(e, cn), training).head(); // (N, P, d)
        }
        NDArray t = outNorm.forward(ps, new NDList(e), training).head();
        t = silu(outHidden.forward(ps, new NDList(t), training).head()); // (N, P, d)
        return out.forward(ps, new NDList(t), training); // (N, P, l)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape u = inputShapes[1];
        return new Shape[] {u.slice(0, u.dimension() - 1).add(latent)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape hd = new Shape(1, hidden);
        noiseIn.initialize(manager, dataType, new Shape(1, noiseDim));
        noiseNorm.initialize(manager, dataType, hd);
        condIn.initialize(manager, dataType, hd);
        condNorm.initialize(manager, dataType, hd);
        for (ResidualBlock b : blocks) {
            b.initialize(manager, dataType, hd, hd);
        }
        outNorm.initialize(manager, dataType, hd);
        outHidden.initialize(manager, dataType, hd);
        out.initialize(manager, dataType, hd);
        // the head starts by predicting exactly zero: every sample equals the latent prior's mean
        for (Parameter p : out.getDirectParameters().values()) {
            p.getArray().muli(0);
        }
    }

    /** Analytic forward FLOPs for one position and {@code samples} samples (multiply-add = 2). */
    public double forwardFlops(int samples) {
        double d = hidden;
        double perSample = 2 * (noiseDim * d + blocks.size() * (2 * d * d + d * d + d * 2 * d + d * d)
                + d * d + d * latent);
        return 2 * d * d + samples * perSample;
    }

    /** One conditioned residual block: e + Linear(SiLU(gate) * up) with gate, up from MLP([LN(e), c]). */
    static final class ResidualBlock extends AbstractBlock {
        private final int hidden;
        private final LayerNorm norm;
        private final Linear in;
        private final Linear mid;
        private final Linear gateUp;
        private final Linear proj;

        ResidualBlock(int hidden) {
            this.hidden = hidden;
            norm = addChildBlock("norm", layerNorm());
            in = addChildBlock("in", Linear.builder().setUnits(hidden).build());
            mid = addChildBlock("mid", Linear.builder().setUnits(hidden).build());
            gateUp = addChildBlock("gateUp", Linear.builder().setUnits(2L * hidden).build());
            proj = addChildBlock("proj", Linear.builder().setUnits(hidden).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray e = inputs.get(0); // (N, P, d)
            NDArray c = inputs.get(1); // (N, P, d)
            int last = e.getShape().dimension() - 1;
            NDArray x = norm.forward(ps, new NDList(e), training).head().concat(c, last); // (N, P, 2d)
            x = silu(in.forward(ps, new NDList(x), training).head()); // (N, P, d)
            x = silu(mid.forward(ps, new NDList(x), training).head()); // (N, P, d)
            NDList gu = gateUp.forward(ps, new NDList(x), training).head().split(2, last); // 2 x (N, P, d)
            NDArray g = silu(gu.get(0)).mul(gu.get(1)); // (N, P, d)
            return new NDList(e.add(proj.forward(ps, new NDList(g), training).head()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape hd = new Shape(1, hidden);
            norm.initialize(manager, dataType, hd);
            in.initialize(manager, dataType, new Shape(1, 2L * hidden));
            mid.initialize(manager, dataType, hd);
            gateUp.initialize(manager, dataType, hd);
            proj.initialize(manager, dataType, hd);
        }
    }

    /** Children, for tests and summaries. */
    List<Block> residualBlocks() {
        return List.copyOf(blocks);
    }
}
