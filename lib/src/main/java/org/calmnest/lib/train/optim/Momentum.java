package org.calmnest.lib.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Heavy-ball momentum, read as the simplest associative memory of past gradients (Nested
 * Learning, section 2): {@code m_{t+1} = a m_t - eta g_t}, {@code W_{t+1} = W_t + m_{t+1}}.
 * This is the reference the deeper optimisers reduce to in their degenerate settings.
 */
public final class Momentum extends StatefulOptimizer {

    private final double decay;

    /** @param decay the momentum coefficient a in [0, 1) (0 = plain gradient descent) */
    public Momentum(double decay) {
        MomentumStates.requireRange("Momentum", "decay", decay, 0, 0.999999, "use a value in [0, 1), e.g. 0.9");
        this.decay = decay;
    }

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager) {
        NDArray m = states.get(key + ".m", stateManager, () -> weight.zerosLike());
        m.muli(decay);
        descend(m, grad, lr, weight);
    }
}
