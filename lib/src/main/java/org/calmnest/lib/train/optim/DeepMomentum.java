package org.calmnest.lib.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.function.UnaryOperator;

/**
 * Deep momentum gradient descent (DMGD, Nested Learning section 2.3): the momentum is a small
 * MLP memory {@code m(u) = b + W1 tanh(W2 û)} of the gradient {@code u} (flattened, {@code û = u/||u||}),
 * trained in context by its own gradient step on the dot-product objective
 * {@code L2(m; u) = <m(u), u>} (the objective for which ordinary momentum is the linear memory):
 * <pre>
 *   b   <- a b  - eta u                                  (dL2/db  = u)
 *   W1  <- a W1 - eta_d u tanh(z)ᵀ,          z = W2 û    (dL2/dW1 = u sᵀ)
 *   W2  <-   W2 - eta_d ((1 - s²) ⊙ W1ᵀu) ûᵀ             (dL2/dW2, s = tanh z)
 *   W   <- W + m(u)                                      (the memory, after its step, read at u)
 * </pre>
 * The gradients are written by hand (DJL has one global gradient collector, which the outer
 * training loop owns). {@code b} is the plain momentum: with {@code eta_d = 0}, W1 stays 0 and the
 * update is exactly {@link Momentum}. W1 then acts as a kernel memory that recalls past gradients
 * weighted by the similarity of their features tanh(W2 û). W2 is not decayed so the features
 * keep their scale. Extra state per parameter: 2 h n numbers for n weights.
 */
public final class DeepMomentum extends StatefulOptimizer {

    private final double decay;
    private final int hidden;
    private final double deepLrScale;

    /**
     * @param decay       retention a in [0, 1)
     * @param hidden      width h of the memory MLP (>= 1)
     * @param deepLrScale eta_d / eta for the MLP part (>= 0; 0 = plain momentum)
     */
    public DeepMomentum(double decay, int hidden, double deepLrScale) {
        MomentumStates.requireRange("DeepMomentum", "decay", decay, 0, 0.999999, "use a value in [0, 1), e.g. 0.9");
        MomentumStates.requireRange("DeepMomentum", "hidden", hidden, 1, 4096, "use a small width such as 4");
        MomentumStates.requireRange("DeepMomentum", "deepLrScale", deepLrScale, 0, 1e6, "use 0 (plain momentum) or a positive scale such as 0.25");
        this.decay = decay;
        this.hidden = hidden;
        this.deepLrScale = deepLrScale;
    }

    @Override
    public String name() {
        return "deep-momentum";
    }

    @Override
    public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager) {
        long n = weight.size();
        NDArray b = states.get(key + ".b", stateManager, () -> weight.getManager().zeros(new Shape(n), weight.getDataType()));                 // (n)
        NDArray w1 = states.get(key + ".W1", stateManager, () -> weight.getManager().zeros(new Shape(n, hidden), weight.getDataType()));  // (n, h)
        NDArray w2 = states.get(key + ".W2", stateManager, () -> weight.getManager()
                .randomNormal(0, 1, new Shape(hidden, n), weight.getDataType()));                                 // (h, n)
        try (NDManager tmp = stateManager.newSubManager()) {
            UnaryOperator<NDArray> keep = x -> {
                x.attach(tmp);
                return x;
            };
            NDArray u = keep.apply(grad.reshape(n));                                                            // (n)
            NDArray[] g = innerGradients(u, w1, w2, tmp);
            b.muli(decay);
            b.subi(keep.apply(u.mul(lr)));
            if (deepLrScale > 0) {
                double lrDeep = lr * deepLrScale;
                w1.muli(decay);
                w1.subi(keep.apply(g[1].mul(lrDeep)));
                w2.subi(keep.apply(g[2].mul(lrDeep)));
            }
            NDArray m = keep.apply(read(u, b, w1, w2, tmp));                                                    // (n)
            weight.addi(keep.apply(m.reshape(weight.getShape())));
        }
    }

    /** m(u) = b + W1 tanh(W2 û); every temporary and the result are attached to {@code tmp}. */
    static NDArray read(NDArray u, NDArray b, NDArray w1, NDArray w2, NDManager tmp) {
        UnaryOperator<NDArray> k = x -> {
            x.attach(tmp);
            return x;
        };
        NDArray uhat = k.apply(unit(u, tmp));                                                                  // (n)
        NDArray z = k.apply(w2.matMul(k.apply(uhat.reshape(-1, 1))));                                          // (h, 1)
        NDArray s = k.apply(z.tanh());
        NDArray deep = k.apply(k.apply(w1.matMul(s)).reshape(-1));                                             // (n)
        return k.apply(b.add(deep));
    }

    /**
     * Hand-written gradients of {@code L2 = <b + W1 tanh(W2 û), u>} with respect to b, W1 and W2
     * (û treated as the input, u as the target), for u of shape (n), W1 (n, h), W2 (h, n).
     * The results and every temporary are attached to {@code tmp}.
     */
    static NDArray[] innerGradients(NDArray u, NDArray w1, NDArray w2, NDManager tmp) {
        UnaryOperator<NDArray> k = x -> {
            x.attach(tmp);
            return x;
        };
        NDArray uhat = k.apply(unit(u, tmp));                                                                  // (n)
        NDArray col = k.apply(u.reshape(-1, 1));                                                               // (n, 1)
        NDArray s = k.apply(k.apply(w2.matMul(k.apply(uhat.reshape(-1, 1)))).tanh());                          // (h, 1)
        NDArray gb = k.apply(u.duplicate());                                                                   // (n)
        NDArray gw1 = k.apply(col.matMul(k.apply(s.transpose())));                                             // (n, h) = u sᵀ
        NDArray back = k.apply(k.apply(w1.transpose()).matMul(col));                                           // (h, 1) = W1ᵀ u
        NDArray dz = k.apply(k.apply(k.apply(k.apply(s.square()).neg()).add(1)).mul(back));                    // (h, 1)
        NDArray gw2 = k.apply(dz.matMul(k.apply(uhat.reshape(1, -1))));                                        // (h, n)
        return new NDArray[]{gb, gw1, gw2};
    }

    private static NDArray unit(NDArray u, NDManager tmp) {
        NDArray norm = u.norm();
        norm.attach(tmp);
        NDArray safe = norm.add(1e-12);
        safe.attach(tmp);
        NDArray out = u.div(safe);
        out.attach(tmp);
        return out;
    }
}
