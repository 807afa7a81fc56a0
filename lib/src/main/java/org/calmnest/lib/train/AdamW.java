package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter): {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g²},
 * {@code w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + lr wd w}. Decoupled weight decay is
 * applied only to matrices (rank >= 2), not to norms' scales or biases, as the reference recipes do.
 */
public final class AdamW implements GroupOptimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, NDArray> state = new LinkedHashMap<>();

    public AdamW(double beta1, double beta2, double eps, double weightDecay) {
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
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager) {
        NDArray m = state.computeIfAbsent(key + ".m", k -> stateManager.zeros(weight.getShape(), weight.getDataType()));
        NDArray v = state.computeIfAbsent(key + ".v", k -> stateManager.zeros(weight.getShape(), weight.getDataType()));
        try (NDManager scope = stateManager.newSubManager()) {
            scope.tempAttachAll(weight, grad, m, v);
            m.muli(beta1).addi(grad.mul(1 - beta1));
            v.muli(beta2).addi(grad.square().muli(1 - beta2));
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            if (weightDecay > 0 && weight.getShape().dimension() >= 2) {
                weight.muli(1 - lr * weightDecay);
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
