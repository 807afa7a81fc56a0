package org.calmnest.lib.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.calmnest.lib.train.GroupOptimizer;

import java.util.Map;

/**
 * What the momentum family shares: per-parameter state arrays kept in {@link MomentumStates}
 * (checkpointed by name), and the heavy-ball step {@code m -= lr g; W += m} that closes each update.
 */
public abstract class StatefulOptimizer implements GroupOptimizer {

    final MomentumStates states = new MomentumStates(); // package-private: the subclasses live here

    /** {@code m -= lr g}, then {@code W += m}, in place (m already decayed or edited by the caller). */
    protected static void descend(NDArray m, NDArray grad, double lr, NDArray weight) {
        try (NDArray step = grad.mul(lr)) {
            m.subi(step);
        }
        weight.addi(m);
    }

    @Override
    public Map<String, NDArray> state() {
        return states.view();
    }

    @Override
    public void loadState(Map<String, NDArray> state, NDManager stateManager) {
        states.load(state, stateManager);
    }
}
