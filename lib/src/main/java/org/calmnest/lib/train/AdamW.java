package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g²},
 * {@code w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + lr wd w}. Decoupled weight decay is
 * applied only to matrices (rank >= 2), not to norms' scales or biases, as the reference recipes do.
 *
 * <p>By default one update is a single native call, the engine's fused Adam kernel
 * ({@code NDArrayEx.adamUpdate}, in place on w, m and v), instead of about fourteen separate
 * NDArray operations with five temporaries. The fused kernel computes
 * {@code w -= lr' m / (sqrt(v) + eps')}; with {@code lr' = lr sqrt(1-b2^t) / (1-b1^t)} and
 * {@code eps' = eps sqrt(1-b2^t)} that is exactly the formula above (multiply numerator and
 * denominator by {@code sqrt(1-b2^t)}). {@link #unfused} keeps the operation-by-operation form;
 * {@code AdamWTest} checks that both agree in float64, and {@code Bench optimizer} times them.
 * Note that the fused kernel also zeroes {@code weight}'s own gradient (the Trainer does that
 * anyway after every update).
 */
public final class AdamW implements GroupOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean fused;
    private final Map<String, NDArray> state = new LinkedHashMap<>();

    /** AdamW with the fused native update. */
    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
        this(beta1, beta2, eps, weightDecay, true);
    }

    /** AdamW computed operation by operation (the reference form; slower). */
    public static AdamW unfused(double beta1, double beta2, double eps, double weightDecay) {
        return new AdamW(beta1, beta2, eps, weightDecay, false);
    }

    private AdamW(double beta1, double beta2, double eps, double weightDecay, boolean fused) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas (" + beta1 + ", " + beta2 + ") must lie in [0, 1); e.g. (0.9, 0.95)");
        }
        if (!(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW eps " + eps + " must be > 0 and weightDecay " + weightDecay + " >= 0");
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.fused = fused;
    }

    /** Whether updates use the engine's fused kernel. */
    public boolean fused() {
        return fused;
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager) {
        NDArray m = state.computeIfAbsent(key + ".m", k -> stateManager.zeros(weight.getShape(), weight.getDataType()));
        NDArray v = state.computeIfAbsent(key + ".v", k -> stateManager.zeros(weight.getShape(), weight.getDataType()));
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double wd = weight.getShape().dimension() >= 2 ? weightDecay : 0.0;
        if (fused) {
            double root = Math.sqrt(c2);
            // (w, g, m, v) -> w, m, v updated in place; rescale 1, no element clamp (-1)
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, m, v), new NDList(weight),
                    (float) lr, (float) (lr * root / c1), (float) wd, 1f, -1f,
                    (float) beta1, (float) beta2, (float) (eps * root), false, true);
            return;
        }
        try (NDManager scope = stateManager.newSubManager()) {
            scope.tempAttachAll(weight, grad, m, v);
            m.muli(beta1).addi(grad.mul(1 - beta1));
            v.muli(beta2).addi(grad.square().muli(1 - beta2));
            if (wd > 0) {
                weight.muli(1 - lr * wd);
            }
            NDArray denom = v.div(c2).sqrt().addi(eps);           // same shape as w
            weight.subi(m.div(denom).muli(lr / c1));
        }
    }

    @Override
    public Map<String, NDArray> state() {
        return state;
    }

    @Override
    public void loadState(Map<String, NDArray> saved, NDManager stateManager) {
        for (NDArray a : state.values()) {
            a.close();
        }
        state.clear();
        for (Map.Entry<String, NDArray> e : saved.entrySet()) {
            NDArray copy = e.getValue().duplicate();
            copy.attach(stateManager);
            state.put(e.getKey(), copy);
        }
    }
}
