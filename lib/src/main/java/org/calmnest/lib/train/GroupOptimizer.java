package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * An update rule for one parameter group: AdamW, momentum, delta-rule momentum, deep momentum...
 * State lives in NDArrays the optimiser owns (attached to {@code stateManager}), so it can be
 * checkpointed and restored.
 */
public interface GroupOptimizer {

    /** Name used in checkpoints, e.g. "adamw". */
    String name();

    /**
     * Updates {@code weight} in place from {@code grad} (already the summed gradient of the
     * period, already clipped). {@code t} counts this group's updates from 1.
     *
     * @param key          unique parameter id, for keeping per-parameter state
     * @param stateManager long-lived manager for state arrays
     */
    void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager);

    /** The optimiser state, by name, for checkpoints (e.g. "w1.m", "w1.v"). */
    Map<String, NDArray> state();

    /** Restores state arrays saved by {@link #state()} (copied into {@code stateManager}). */
    void loadState(Map<String, NDArray> state, NDManager stateManager);
}
