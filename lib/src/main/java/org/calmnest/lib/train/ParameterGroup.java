package org.calmnest.lib.train;

import ai.djl.nn.Parameter;

import java.util.List;

/**
 * Parameters that share an update rule. The nested-learning levels are groups with their own
 * period: a group with period C keeps its parameters frozen for C optimiser steps, accumulating
 * (summing) the gradients, and takes one update on the sum at the end of the period.
 *
 * @param name      shown in logs and checkpoints, unique within a model
 * @param params    the DJL parameters
 * @param period    update period C >= 1 in optimiser steps (1 = every step)
 * @param lrScale   multiplies the schedule's learning rate for this group
 * @param optimizer the group's update rule, or null for the training configuration's default (AdamW)
 */
public record ParameterGroup(String name, List<Parameter> params, int period, double lrScale, GroupOptimizer optimizer) {
    public ParameterGroup {
        if (period < 1) {
            throw new IllegalArgumentException("period of parameter group \"" + name + "\" is " + period
                    + ": it must be >= 1 (1 updates every step)");
        }
        if (!(lrScale > 0) || Double.isInfinite(lrScale)) {
            throw new IllegalArgumentException("lrScale of parameter group \"" + name + "\" is " + lrScale
                    + ": it must be a finite number > 0");
        }
        params = List.copyOf(params);
    }

    /** One group, updated every step with the default optimiser. */
    public static ParameterGroup every(String name, List<Parameter> params) {
        return new ParameterGroup(name, params, 1, 1.0, null);
    }
}
