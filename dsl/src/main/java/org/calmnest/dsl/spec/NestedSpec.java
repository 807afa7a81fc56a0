package org.calmnest.dsl.spec;

import org.calmnest.dsl.Memory;
import org.calmnest.dsl.TaskBudget;
import org.calmnest.dsl.Tasks;
import org.calmnest.dsl.result.ContinualRun;

import java.util.Arrays;

/**
 * A nested-learning language model (NESTED.md): each layer's feed-forward is a Continuum Memory
 * System, a chain of SwiGLU levels where level l updates every C_l optimiser steps on the sum of
 * its gradients over the period; the mixer is attention or HOPE's self-modifying memory.
 * {@code levels(1, 1, 1)} is the Transformer-k control; {@code lrMatched()} the control with level
 * learning rates eta / C_l updated every step. Immutable; create it with {@code nested()}.
 *
 * @param periods    update period C_l of each level, fastest first
 * @param matchedRates true: every level updates every step with rate eta / C_l (the control arm)
 * @param memory     attention or self-modifying memory
 * @param width      model width d
 * @param layers     layers
 * @param heads      attention (or memory) heads
 * @param levelInner SwiGLU inner width of each level
 * @param context    training block length in tokens
 * @param settings   tokenizer, optimiser, batch, seed, device
 */
public record NestedSpec(int[] periods, boolean matchedRates, Memory memory, int width, int layers, int heads,
                         int levelInner, int context, RunSettings settings) implements SpecSettings<NestedSpec> {

    public NestedSpec {
        String w = "nested()";
        Check.notNull(w, "levels", periods, "use .levels(1, 8, 64)");
        Check.that(periods.length >= 1 && periods.length <= 16, w, "number of levels", periods.length,
                "use .levels(..) with 1 to 16 periods, e.g. .levels(1, 8, 64)");
        for (int l = 0; l < periods.length; l++) {
            Check.range(w + ".levels(" + join(periods) + ")", "period of level " + l, periods[l], 1, 1_000_000,
                    "every period must be >= 1 optimiser step (1 = every step)");
            if (l > 0) {
                Check.that(periods[l] >= periods[l - 1], w + ".levels(" + join(periods) + ")", "period of level " + l,
                        periods[l], "list the levels fastest first (non-decreasing periods), e.g. .levels(1, 8, 64)");
            }
        }
        periods = periods.clone();
        Check.notNull(w, "memory", memory, "use .memory(selfModifying()) or .memory(attention())");
        Check.range(w, "width", width, 4, 8192, "use .width(d) with 4 <= d <= 8192, e.g. 64");
        Check.range(w, "layers", layers, 1, 128, "use .layers(n) with 1 <= n <= 128");
        Check.range(w, "heads", heads, 1, 256, "use .heads(h) with 1 <= h <= 256 dividing the width");
        Check.range(w, "levelInner", levelInner, 1, 65_536, "use .levelInner(n) with n >= 1, e.g. 64");
        Check.range(w, "context", context, 2, 65_536, "use .context(t) with 2 <= t <= 65536 tokens, e.g. 64");
        Check.notNull(w, "settings", settings, "start from nested()");
    }

    /**
     * Checks the fields against each other (what {@code train(..)} does first): width and heads
     * (whole, even head sizes). The setters check one field each, so they can be called in any order.
     *
     * @return this spec
     * @throws IllegalArgumentException naming both fields, their values and the fix
     */
    public NestedSpec validate() {
        Check.headsFitWidth("nested()", width, heads);
        return this;
    }

    private static String join(int[] p) {
        return Arrays.toString(p).replaceAll("[\\[\\]]", "");
    }

    /** Three CMS levels (1, 8, 64) with attention, d = 64, 2 layers, blocks of 64 tokens. */
    public static NestedSpec tiny() {
        return new NestedSpec(new int[] {1, 8, 64}, false, Memory.ATTENTION, 64, 2, 4, 64, 64, RunSettings.defaults());
    }

    @Override
    public int[] periods() {
        return periods.clone();
    }

    /** CMS levels by update period, fastest first, e.g. {@code levels(1, 8, 64)}. */
    public NestedSpec levels(int... p) { return new NestedSpec(p, matchedRates, memory, width, layers, heads, levelInner, context, settings); }
    /** Control arm: every level every step, with learning rate eta / C_l. */
    public NestedSpec lrMatched() { return new NestedSpec(periods, true, memory, width, layers, heads, levelInner, context, settings); }
    /** The mixer: {@code selfModifying()} (HOPE) or {@code attention()}. */
    public NestedSpec memory(Memory m) { return new NestedSpec(periods, matchedRates, m, width, layers, heads, levelInner, context, settings); }
    /** Model width d. */
    public NestedSpec width(int d) { return new NestedSpec(periods, matchedRates, memory, d, layers, heads, levelInner, context, settings); }
    /** Number of layers. */
    public NestedSpec layers(int n) { return new NestedSpec(periods, matchedRates, memory, width, n, heads, levelInner, context, settings); }
    /** Attention / memory heads. */
    public NestedSpec heads(int h) { return new NestedSpec(periods, matchedRates, memory, width, layers, h, levelInner, context, settings); }
    /** SwiGLU inner width of each CMS level. */
    public NestedSpec levelInner(int n) { return new NestedSpec(periods, matchedRates, memory, width, layers, heads, n, context, settings); }
    /** Training block length in tokens. */
    public NestedSpec context(int tokens) { return new NestedSpec(periods, matchedRates, memory, width, layers, heads, levelInner, tokens, settings); }

    @Override
    public NestedSpec withSettings(RunSettings s) {
        return new NestedSpec(periods, matchedRates, memory, width, layers, heads, levelInner, context, s);
    }

    /**
     * Trains on the tasks in order, with no data of earlier tasks, evaluating every task after each
     * one (and every E steps when the budget says so): the R matrix and per-task loss curves.
     */
    public ContinualRun train(Tasks tasks, TaskBudget budget) {
        return ContinualRun.train(this, tasks, budget);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NestedSpec s && Arrays.equals(periods, s.periods) && matchedRates == s.matchedRates
                && memory == s.memory && width == s.width && layers == s.layers && heads == s.heads
                && levelInner == s.levelInner && context == s.context && settings.equals(s.settings);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(periods) * 31 + java.util.Objects.hash(matchedRates, memory, width, layers, heads, levelInner, context, settings);
    }

    @Override
    public String toString() {
        return "nested() levels(" + join(periods) + ")" + (matchedRates ? " lr-matched" : "") + " "
                + memory.name().toLowerCase(java.util.Locale.ROOT) + " d=" + width + " L=" + layers + " T=" + context;
    }
}
