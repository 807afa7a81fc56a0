package org.calmnest.dsl;

import org.calmnest.dsl.spec.Check;

/**
 * How long to train: a run stops at the first limit reached. Zero means "no limit" for that
 * dimension, and at least one limit is set. Budgets combine with {@link #and(Budget)}, e.g.
 * {@code minutes(3).and(steps(2000))} stops after three minutes or 2000 steps, whichever comes first.
 *
 * @param steps   optimiser steps (0 = no limit)
 * @param seconds wall-clock seconds (0 = no limit)
 * @param tokens  training tokens (0 = no limit)
 * @param flops   analytic training FLOPs (0 = no limit)
 */
public record Budget(long steps, double seconds, long tokens, double flops) {

    /** What {@code train(corpus)} uses without a budget: 300 steps or 45 seconds, whichever comes first. */
    public static final Budget DEFAULT = new Budget(300, 45, 0, 0);

    public Budget {
        Check.that(steps >= 0, "Budget", "steps", steps, "use steps(n) with n >= 1");
        Check.that(Double.isFinite(seconds) && seconds >= 0, "Budget", "seconds", seconds,
                "use seconds(s) or minutes(m) with a positive, finite value");
        Check.that(tokens >= 0, "Budget", "tokens", tokens, "use tokens(n) with n >= 1");
        Check.that(Double.isFinite(flops) && flops >= 0, "Budget", "flops", flops,
                "use flops(x) with a positive, finite value such as 1e12");
        Check.that(steps > 0 || seconds > 0 || tokens > 0 || flops > 0, "Budget", "all limits", 0,
                "set at least one limit: steps(n), minutes(m), seconds(s), tokens(n) or flops(x)");
    }

    /** The limit of both budgets in each dimension (whichever is reached first stops training). */
    public Budget and(Budget other) {
        Check.notNull("Budget.and", "other", other, "pass another budget such as steps(500)");
        return new Budget(min(steps, other.steps), min(seconds, other.seconds),
                min(tokens, other.tokens), min(flops, other.flops));
    }

    /** True when no limit other than time is set (the number of steps is then unknown in advance). */
    public boolean openEnded() {
        return steps == 0;
    }

    private static long min(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private static double min(double a, double b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Budget[");
        String sep = "";
        if (steps > 0) {
            s.append(sep).append(steps).append(" steps");
            sep = " or ";
        }
        if (seconds > 0) {
            s.append(sep).append(seconds % 60 == 0 ? (long) (seconds / 60) + " min" : seconds + " s");
            sep = " or ";
        }
        if (tokens > 0) {
            s.append(sep).append(tokens).append(" tokens");
            sep = " or ";
        }
        if (flops > 0) {
            s.append(sep).append(String.format(java.util.Locale.ROOT, "%.3g FLOPs", flops));
        }
        return s.append(']').toString();
    }
}
