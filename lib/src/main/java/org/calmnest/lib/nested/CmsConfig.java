package org.calmnest.lib.nested;

import java.util.Arrays;

/**
 * Shape and update schedule of a Continuum Memory System (NESTED.md section 3): {@code k} residual
 * SwiGLU levels of inner width {@code inner}; level l updates every {@code periods[l]} optimiser
 * steps (on the sum of that period's gradients) with learning rate {@code lrScales[l]} times the
 * schedule's.
 *
 * @param inner    SwiGLU inner width of each level (the Transformer's d_ff split over the k levels)
 * @param periods  update period C_l >= 1 of each level, fastest first
 * @param lrScales learning-rate scale of each level (same length as periods, each > 0)
 */
public record CmsConfig(int inner, int[] periods, double[] lrScales) {

    public CmsConfig {
        if (periods == null || periods.length == 0) {
            throw new IllegalArgumentException("CmsConfig.periods is empty: give at least one level, e.g. periods = {1, 8, 64}");
        }
        if (inner < 1) {
            throw new IllegalArgumentException("CmsConfig.inner = " + inner + " is invalid: use a positive SwiGLU width per level");
        }
        for (int l = 0; l < periods.length; l++) {
            if (periods[l] < 1) {
                throw new IllegalArgumentException("CmsConfig.periods[" + l + "] = " + periods[l]
                        + " is invalid: a level's period must be >= 1 optimiser steps (1 = every step)");
            }
        }
        if (lrScales == null || lrScales.length != periods.length) {
            throw new IllegalArgumentException("CmsConfig.lrScales has " + (lrScales == null ? "no" : lrScales.length)
                    + " entries but there are " + periods.length + " levels (periods " + Arrays.toString(periods)
                    + "): give one learning-rate scale per level");
        }
        for (int l = 0; l < lrScales.length; l++) {
            if (!(lrScales[l] > 0) || Double.isInfinite(lrScales[l])) {
                throw new IllegalArgumentException("CmsConfig.lrScales[" + l + "] = " + lrScales[l]
                        + " is invalid: use a finite scale > 0 (1 = the schedule's rate)");
            }
        }
        periods = periods.clone();
        lrScales = lrScales.clone();
    }

    /** Levels with the given periods, all at the schedule's learning rate. */
    public static CmsConfig of(int inner, int... periods) {
        double[] ones = new double[periods == null ? 0 : periods.length];
        Arrays.fill(ones, 1.0);
        return new CmsConfig(inner, periods, ones);
    }

    public int levels() {
        return periods.length;
    }

    @Override
    public int[] periods() {
        return periods.clone();
    }

    @Override
    public double[] lrScales() {
        return lrScales.clone();
    }

    /** The same levels with every period 1 (Transformer-k: the CMS shape, no nesting). */
    public CmsConfig allEveryStep() {
        int[] ones = new int[periods.length];
        Arrays.fill(ones, 1);
        return new CmsConfig(inner, ones, lrScales);
    }

    /** Every period 1 and level rates divided by the periods: separates slow updates from small rates. */
    public CmsConfig lrMatched() {
        double[] s = new double[periods.length];
        int[] ones = new int[periods.length];
        for (int l = 0; l < s.length; l++) {
            s[l] = lrScales[l] / periods[l];
            ones[l] = 1;
        }
        return new CmsConfig(inner, ones, s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CmsConfig c && c.inner == inner && Arrays.equals(c.periods, periods) && Arrays.equals(c.lrScales, lrScales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * inner + Arrays.hashCode(periods)) + Arrays.hashCode(lrScales);
    }

    @Override
    public String toString() {
        return "CmsConfig(inner=" + inner + ", periods=" + Arrays.toString(periods) + ", lrScales=" + Arrays.toString(lrScales) + ")";
    }
}
