package org.calmnest.lib.nested;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * HOPE's self-modifying memory (Nested Learning, section 8; NESTED.md section 4). Per head and
 * token, five residual MLP memories M_□ (□ in k, v, eta, a, mem) produce the keys, values,
 * inner rates and retention gates that update them, each generating its own target:
 * <pre>
 *   q_t = norm(W_q x_t),  k_t = norm(M_k(x_t)),  v_t = norm(M_v(x_t))
 *   eta_t = etaMax sigmoid(r_eta · M_eta(x_t) + b_eta),  a_t = sigmoid(r_a · M_a(x_t) + b_a)
 *   vhat_□ = M_□(v_t),   M_□ <- M_□ (a_t I - eta_t k̂ k̂ᵀ) - eta_t ∇ ||M_□(k_t) - vhat_□||²
 *   o_t = M_mem(q_t),    y_t = W_o o_t
 * </pre>
 * Chunk-parallel: every token of a chunk reads the state from the end of the previous chunk and
 * the chunk then applies its summed update ({@link DgdMemory#step}); chunk 1 is token by token.
 * The initial states W1_0, W2_0 of all memories are ordinary parameters learned by the outer loop;
 * the in-context updates are differentiable DJL ops, so the outer gradient flows through them.
 * Our choices where the paper is open: q is static, q, k and v are unit vectors, the gradient
 * terms are preconditioned as a normalised delta rule (see {@link DgdMemory#step}), eta and a are per-head scalars read out
 * linearly from their memories, and a short causal depthwise convolution (as in Titans) mixes
 * each position with its {@code convWidth - 1} predecessors so tokens inside a chunk still see
 * their neighbours.
 */
public final class SelfModifyingMemory extends AbstractBlock {

    static final int MEMORIES = 5;            // k, v, eta, a, mem

    private final int dim;
    private final HopeConfig config;
    private final int dh;
    private final Linear wq;
    private final Linear wo;
    private final Parameter conv;             // (convWidth, d), lag 0 first
    private final Parameter w1Init;           // (H, 5, dh, m)
    private final Parameter w2Init;           // (H, 5, m, dh)
    private final Parameter etaRead;          // (H, dh)
    private final Parameter etaBias;          // (H)
    private final Parameter aRead;            // (H, dh)
    private final Parameter aBias;            // (H)

    public SelfModifyingMemory(int dim, HopeConfig config) {
        if (config == null || dim < 1 || dim % config.heads() != 0) {
            throw new IllegalArgumentException("SelfModifyingMemory: dim = " + dim + " must be positive and divisible by heads = "
                    + (config == null ? "null" : config.heads()) + "; choose heads dividing the model width");
        }
        this.dim = dim;
        this.config = config;
        this.dh = dim / config.heads();
        int h = config.heads();
        int m = config.hidden();
        this.wq = addChildBlock("wq", Linear.builder().setUnits(dim).optBias(false).build());
        this.wo = addChildBlock("wo", Linear.builder().setUnits(dim).optBias(false).build());
        this.conv = addParameter(Parameter.builder().setName("conv").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.convWidth(), dim))
                .optInitializer((manager, shape, type) -> {                        // identity: lag 0 = 1, others 0
                    NDArray w = manager.zeros(shape, type);
                    w.set(new NDIndex("0"), 1);
                    return w;
                }).build());
        this.w1Init = addParameter(Parameter.builder().setName("w1Init").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(h, MEMORIES, dh, m)).optInitializer(new NormalInitializer(0.02f)).build());
        this.w2Init = addParameter(Parameter.builder().setName("w2Init").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(h, MEMORIES, m, dh)).optInitializer(new NormalInitializer((float) (1 / Math.sqrt(dh)))).build());
        this.etaRead = addParameter(Parameter.builder().setName("etaRead").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(h, dh)).optInitializer(new NormalInitializer(0.02f)).build());
        this.etaBias = addParameter(Parameter.builder().setName("etaBias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(h)).optInitializer(new ConstantInitializer(0f)).build());
        this.aRead = addParameter(Parameter.builder().setName("aRead").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(h, dh)).optInitializer(new NormalInitializer(0.02f)).build());
        this.aBias = addParameter(Parameter.builder().setName("aBias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(h)).optInitializer(new ConstantInitializer(4f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    /** (B, T, d) -> (B, T, d), causal. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != dim) {
            throw new IllegalArgumentException("SelfModifyingMemory: input shape " + s + " is not (B, T, d = " + dim + ")");
        }
        long b = s.get(0);
        int t = (int) s.get(1);
        int h = config.heads();
        NDArray xc = causalConv(ps, x, training);                                                   // (B, T, d)
        NDArray xh = heads(xc);                                                                     // (B, H, T, dh)
        NDArray q = DgdMemory.unit(heads(wq.forward(ps, new NDList(xc), training).singletonOrThrow())); // (B, H, T, dh)
        NDArray w1 = local(ps, w1Init, x, training).expandDims(0)
                .broadcast(new Shape(b, h, MEMORIES, dh, config.hidden()));                        // (B, H, 5, dh, m)
        NDArray w2 = local(ps, w2Init, x, training).expandDims(0)
                .broadcast(new Shape(b, h, MEMORIES, config.hidden(), dh));                        // (B, H, 5, m, dh)
        NDArray rEta = local(ps, etaRead, x, training).reshape(h, 1, dh);           // (H, 1, dh)
        NDArray bEta = local(ps, etaBias, x, training).reshape(h, 1);               // (H, 1)
        NDArray rA = local(ps, aRead, x, training).reshape(h, 1, dh);
        NDArray bA = local(ps, aBias, x, training).reshape(h, 1);
        List<NDArray> outs = new ArrayList<>();
        for (int start = 0; start < t; start += config.chunk()) {
            int end = Math.min(t, start + config.chunk());
            int c = end - start;
            NDIndex span = new NDIndex(":, :, {}:{}", start, end);
            NDArray xs = xh.get(span);                                                              // (B, H, C, dh)
            NDArray qs = q.get(span);
            NDArray z = NDArrays.stack(new NDList(xs, xs, xs, xs, qs), 2);                          // (B, H, 5, C, dh)
            NDArray read = DgdMemory.read(w1, w2, z);                                               // (B, H, 5, C, dh)
            NDArray k = DgdMemory.unit(read.get(":, :, 0"));                                        // (B, H, C, dh)
            NDArray v = DgdMemory.unit(read.get(":, :, 1"));                                        // unit targets keep the memory bounded
            NDArray eta = read.get(":, :, 2").mul(rEta).sum(new int[]{-1}).add(bEta)
                    .getNDArrayInternal().sigmoid().mul(config.etaMax());                         // (B, H, C)
            NDArray a = read.get(":, :, 3").mul(rA).sum(new int[]{-1}).add(bA)
                    .getNDArrayInternal().sigmoid();                                                // (B, H, C)
            outs.add(read.get(":, :, 4"));                                                          // (B, H, C, dh)
            Shape five = new Shape(b, h, MEMORIES, c, dh);
            NDArray kb = k.expandDims(2).broadcast(five);                                           // (B, H, 5, C, dh)
            NDArray vhat = DgdMemory.read(w1, w2, v.expandDims(2).broadcast(five));                 // each memory's own target
            NDArray[] next = DgdMemory.step(w1, w2, kb, vhat, eta.expandDims(2), a.expandDims(2));
            w1 = next[0];
            w2 = next[1];
        }
        NDArray o = NDArrays.concat(new NDList(outs), 2);                                           // (B, H, T, dh)
        NDArray merged = o.transpose(0, 2, 1, 3).reshape(b, t, dim);                                // (B, T, d)
        return wo.forward(ps, new NDList(merged), training).singletonOrThrow();
    }

    /** y_t = sum_i w_i ⊙ x_{t-i} over the last convWidth positions (zeros before the start). */
    private NDArray causalConv(ParameterStore ps, NDArray x, boolean training) {
        int width = config.convWidth();
        if (width == 1) {
            return x.mul(local(ps, conv, x, training).get(0));
        }
        NDArray w = local(ps, conv, x, training);                                                  // (K, d)
        long t = x.getShape().get(1);
        NDArray pad = x.getManager().zeros(new Shape(x.getShape().get(0), width - 1, dim), x.getDataType());
        NDArray xp = pad.concat(x, 1);                                                              // (B, T + K - 1, d)
        NDArray y = null;
        for (int i = 0; i < width; i++) {
            NDArray shifted = xp.get(new NDIndex(":, {}:{}", width - 1 - i, width - 1 - i + t));    // x_{t-i}, (B, T, d)
            NDArray term = shifted.mul(w.get(i));
            y = y == null ? term : y.add(term);
        }
        return y;
    }

    /**
     * The parameter's value as a view owned by the manager of the input {@code x} (the caller's
     * per-step manager). DJL attaches an operation's result to its left operand's manager, so the
     * chunk states and DGD temporaries derived from a parameter would otherwise pile up in the
     * model's long-lived manager, with their autograd graphs, until the model is closed.
     */
    private static NDArray local(ParameterStore ps, Parameter p, NDArray x, boolean training) {
        NDArray value = ps.getValue(p, x.getDevice(), training);
        NDArray view = value.reshape(value.getShape());                                             // same storage, differentiable
        view.attach(x.getManager());
        return view;
    }

    private NDArray heads(NDArray x) {                                                              // (B, T, d) -> (B, H, T, dh)
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), config.heads(), dh).transpose(0, 2, 1, 3);
    }

    public HopeConfig config() {
        return config;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        wq.initialize(manager, dataType, inputShapes);
        wo.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[]{inputShapes[0]};
    }
}
