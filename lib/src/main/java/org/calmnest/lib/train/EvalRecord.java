package org.calmnest.lib.train;

import java.util.Map;

/**
 * A held-out evaluation during training.
 *
 * @param step    optimiser step at which it ran
 * @param tokens  tokens seen so far
 * @param flops   cumulative training FLOPs
 * @param loss    mean held-out loss
 * @param metrics other held-out metrics by name (e.g. "accuracy", "bitsPerByte")
 */
public record EvalRecord(long step, long tokens, double flops, double loss, Map<String, Double> metrics) {
    public EvalRecord {
        metrics = Map.copyOf(metrics);
    }
}
