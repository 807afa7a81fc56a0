package org.calmnest.lib.eval;

import java.util.Arrays;

/**
 * BrierLM, the likelihood-free language-model score of CALM (Shao et al. 2025, §4), as an
 * accumulator over prediction positions.
 *
 * <p>The Brier score of a predictive distribution P for the outcome y is
 * {@code Brier(P, y) = 2 P(y) - sum_x P(x)^2} (higher is better, 1 for a perfect prediction).
 * Two independent samples x1, x2 ~ P estimate it without likelihoods:
 * {@code 1[x1 = y] + 1[x2 = y] - 1[x1 = x2]} (unbiased: E 1[x = y] = P(y), E 1[x1 = x2] = sum P²).
 * Brier-n takes the next n tokens as one outcome: with n-token samples the match indicators are
 * cumulative products of per-token matches. A model with likelihoods may replace the accuracy
 * term {@code 1[x1 = y] + 1[x2 = y]} by its exact expectation {@code 2 P(y_1..y_n)} and, when
 * known, the collision term by {@code sum_x P(x)^2}.
 *
 * <p>{@code BrierLM = 100 * (Brier-1 * Brier-2 * Brier-3 * Brier-4)^(1/4)}, each Brier-n averaged
 * over its positions first. A Brier-n estimate can be negative for a poor model; each factor is
 * clamped at 0 before the product, so the score is 0 whenever any factor is (this equals clamping
 * the product at 0 whenever at most one factor is negative, and never turns two negative
 * factors into a positive score).
 *
 * <p>n-grams whose true tokens contain the {@code ignoreId} (padding) are not scored, so two
 * models scored on the same blocks see exactly the same outcomes.
 */
public final class BrierLm {

    /** The n of BrierLM. */
    public static final int DEFAULT_MAX_N = 4;

    private final int maxN;
    private final int ignoreId;
    private final double[] sums;
    private final long[] counts;

    /** Brier-1..4, nothing ignored. */
    public BrierLm() {
        this(DEFAULT_MAX_N, -1);
    }

    /**
     * @param maxN     longest n-gram (4 for BrierLM)
     * @param ignoreId a true token that makes an n-gram unscored (the PAD id), or -1 for none
     */
    public BrierLm(int maxN, int ignoreId) {
        if (maxN < 1) {
            throw new IllegalArgumentException("BrierLm: maxN = " + maxN + ", use at least 1 (4 for BrierLM)");
        }
        this.maxN = maxN;
        this.ignoreId = ignoreId;
        this.sums = new double[maxN];
        this.counts = new long[maxN];
    }

    public int maxN() {
        return maxN;
    }

    /**
     * One position, the pure two-sample estimator. {@code truth}, {@code sample1} and
     * {@code sample2} are the next tokens from the position on (the true continuation and two
     * independent model continuations); Brier-n is scored for every n up to maxN that all three
     * cover and whose true n-gram holds no ignored id.
     */
    public BrierLm addSamples(int[] truth, int[] sample1, int[] sample2) {
        int len = Math.min(scorable(truth), Math.min(sample1.length, sample2.length));
        boolean hit1 = true;
        boolean hit2 = true;
        boolean same = true;
        for (int n = 1; n <= len; n++) {
            int i = n - 1;
            hit1 &= sample1[i] == truth[i];
            hit2 &= sample2[i] == truth[i];
            same &= sample1[i] == sample2[i];
            add(n, (hit1 ? 1 : 0) + (hit2 ? 1 : 0), same ? 1 : 0);
        }
        return this;
    }

    /**
     * One position with exact likelihoods for the accuracy term.
     *
     * @param truth       true continuation (only used for the ignored id and its length)
     * @param probTruth   probTruth[n-1] = P(y_1..y_n), exact
     * @param sumSquares  sumSquares[n-1] = sum_x P(x)^2 where known exactly (NaN otherwise), or null
     * @param sample1     a model continuation, used for the collision term where not exact
     * @param sample2     an independent second continuation
     */
    public BrierLm addExact(int[] truth, double[] probTruth, double[] sumSquares, int[] sample1, int[] sample2) {
        int len = Math.min(Math.min(scorable(truth), probTruth.length), Math.min(sample1.length, sample2.length));
        boolean same = true;
        for (int n = 1; n <= len; n++) {
            int i = n - 1;
            same &= sample1[i] == sample2[i];
            boolean exactCollision = sumSquares != null && i < sumSquares.length && !Double.isNaN(sumSquares[i]);
            add(n, 2 * probTruth[i], exactCollision ? sumSquares[i] : (same ? 1 : 0));
        }
        return this;
    }

    /** Low level: one estimate {@code accuracyTerm - collisionTerm} of Brier-n. */
    public BrierLm add(int n, double accuracyTerm, double collisionTerm) {
        if (n < 1 || n > maxN) {
            throw new IllegalArgumentException("BrierLm.add: n = " + n + ", use 1.." + maxN);
        }
        sums[n - 1] += accuracyTerm - collisionTerm;
        counts[n - 1]++;
        return this;
    }

    /** Adds another accumulator's positions (same maxN). */
    public BrierLm merge(BrierLm other) {
        if (other.maxN != maxN) {
            throw new IllegalArgumentException("BrierLm.merge: maxN " + other.maxN + " differs from " + maxN + "; merge like with like");
        }
        for (int i = 0; i < maxN; i++) {
            sums[i] += other.sums[i];
            counts[i] += other.counts[i];
        }
        return this;
    }

    private int scorable(int[] truth) {
        int len = Math.min(maxN, truth.length);
        for (int i = 0; i < len; i++) {
            if (truth[i] == ignoreId) {
                return i;
            }
        }
        return len;
    }

    /** The means so far; Brier-n with no position is NaN (and BrierLM then NaN). */
    public Result result() {
        double[] brier = new double[maxN];
        for (int i = 0; i < maxN; i++) {
            brier[i] = counts[i] == 0 ? Double.NaN : sums[i] / counts[i];
        }
        return new Result(brier, counts.clone(), score(brier));
    }

    /** {@code 100 * geometric mean of max(Brier-n, 0)}; NaN when a factor is NaN. */
    public static double score(double[] brier) {
        if (brier.length == 0) {
            throw new IllegalArgumentException("BrierLm.score: no Brier-n values; pass Brier-1..4");
        }
        double logSum = 0;
        for (double b : brier) {
            if (Double.isNaN(b)) {
                return Double.NaN;
            }
            if (b <= 0) {
                return 0;
            }
            logSum += Math.log(b);
        }
        return 100 * Math.exp(logSum / brier.length);
    }

    /** The exact Brier score {@code 2 p[y] - sum p²} of a categorical distribution. */
    public static double exact(double[] p, int y) {
        double sq = 0;
        for (double v : p) {
            sq += v * v;
        }
        return 2 * p[y] - sq;
    }

    /**
     * @param brier  Brier-1..maxN means
     * @param counts positions scored for each n
     * @param brierLm 100 * geometric mean (0 if any factor <= 0)
     */
    public record Result(double[] brier, long[] counts, double brierLm) {
        public Result {
            brier = brier.clone();
            counts = counts.clone();
        }

        public double brier(int n) {
            return brier[n - 1];
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("BrierLM %.3f (", brierLm));
            for (int i = 0; i < brier.length; i++) {
                s.append(i == 0 ? "" : ", ").append(String.format("Brier-%d %.4f", i + 1, brier[i]));
            }
            return s.append(", ").append(counts.length == 0 ? 0 : counts[0]).append(" positions)").toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(brier, r.brier) && Arrays.equals(counts, r.counts) && brierLm == r.brierLm;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(brier) * 31 + Arrays.hashCode(counts);
        }
    }
}
