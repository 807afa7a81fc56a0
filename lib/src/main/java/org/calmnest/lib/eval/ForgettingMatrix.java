package org.calmnest.lib.eval;

import java.util.Arrays;

/**
 * The continual-learning score matrix R and its standard metrics (Lopez-Paz and Ranzato 2017,
 * Chaudhry et al. 2018; NESTED.md section 5).
 *
 * <p>{@code R[i][j]} is the score on the held-out split of task j after training on task i
 * (tasks in training order, indices from 0 here; the formulas below use the papers' 1-based
 * indices), and {@code b[j]} the score of the untrained model on task j.
 * <pre>
 *   ACC  = (1/T) sum_j R[T][j]
 *   BWT  = (1/(T-1)) sum_{j&lt;T} (R[T][j] - R[j][j])         negative = forgetting
 *   FWT  = (1/(T-1)) sum_{j&gt;=2} (R[j-1][j] - b_j)
 *   f_j^k = max_{l&lt;k} R[l][j] - R[k][j],  F_k = (1/(k-1)) sum_{j&lt;k} f_j^k
 * </pre>
 * For a loss (lower is better, e.g. bits per byte) the signs of BWT, FWT and f are flipped so
 * every metric reads the same way: BWT &lt; 0 still means forgetting, FWT &gt; 0 still means the
 * earlier tasks helped, and {@code f_j^k = R[k][j] - min_{l<k} R[l][j]} (loss now minus the best
 * loss so far). ACC is the plain mean of the final row in both cases.
 */
public final class ForgettingMatrix {

    private final double[][] r;
    private final double[] baseline;
    private final boolean higherIsBetter;
    private final String metric;

    private ForgettingMatrix(String metric, double[][] r, double[] baseline, boolean higherIsBetter) {
        if (r == null || r.length < 2) {
            throw new IllegalArgumentException("ForgettingMatrix(" + metric + "): R has "
                    + (r == null ? "no" : r.length) + " task(s); forgetting metrics need at least 2 tasks trained in sequence");
        }
        int t = r.length;
        for (int i = 0; i < t; i++) {
            if (r[i] == null || r[i].length != t) {
                throw new IllegalArgumentException("ForgettingMatrix(" + metric + "): row " + i + " of R has "
                        + (r[i] == null ? "no" : r[i].length) + " entries but R must be square " + t + " x " + t
                        + " (one score per task after each task)");
            }
            for (int j = 0; j < t; j++) {
                if (!Double.isFinite(r[i][j])) {
                    throw new IllegalArgumentException("ForgettingMatrix(" + metric + "): R[" + i + "][" + j + "] = "
                            + r[i][j] + "; every score must be finite");
                }
            }
        }
        if (baseline == null || baseline.length != t) {
            throw new IllegalArgumentException("ForgettingMatrix(" + metric + "): baseline has "
                    + (baseline == null ? "no" : baseline.length) + " entries, expected " + t
                    + " (the untrained model's score on each task)");
        }
        this.metric = metric;
        this.r = new double[t][];
        for (int i = 0; i < t; i++) {
            this.r[i] = r[i].clone();
        }
        this.baseline = baseline.clone();
        this.higherIsBetter = higherIsBetter;
    }

    /** R of accuracies (higher is better). */
    public static ForgettingMatrix ofAccuracy(double[][] r, double[] baseline) {
        return new ForgettingMatrix("accuracy", r, baseline, true);
    }

    /** R of losses such as bits per byte (lower is better; BWT, FWT and forgetting flip sign). */
    public static ForgettingMatrix ofLoss(double[][] r, double[] baseline) {
        return new ForgettingMatrix("loss", r, baseline, false);
    }

    public int tasks() {
        return r.length;
    }

    public double get(int afterTask, int onTask) {
        return r[afterTask][onTask];
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Improvement from {@code from} to {@code to}: positive = better for either kind of score. */
    private double gain(double from, double to) {
        return higherIsBetter ? to - from : from - to;
    }

    /** Mean score over all tasks after the last task. */
    public double averageScore() {
        return Arrays.stream(r[r.length - 1]).average().orElseThrow();
    }

    /** Backward transfer; negative means forgetting. */
    public double backwardTransfer() {
        int t = r.length;
        double s = 0;
        for (int j = 0; j < t - 1; j++) {
            s += gain(r[j][j], r[t - 1][j]);
        }
        return s / (t - 1);
    }

    /** Forward transfer: score on task j just before training on it, against the untrained model. */
    public double forwardTransfer() {
        int t = r.length;
        double s = 0;
        for (int j = 1; j < t; j++) {
            s += gain(baseline[j], r[j - 1][j]);
        }
        return s / (t - 1);
    }

    /** Forgetting of task j after training task k (0-based, j &lt; k): best earlier score minus now. */
    public double forgetting(int j, int k) {
        if (k < 1 || k >= r.length || j < 0 || j >= k) {
            throw new IllegalArgumentException("forgetting(j=" + j + ", k=" + k + "): need 0 <= j < k < " + r.length
                    + " (task j measured after training task k)");
        }
        double best = r[0][j];
        for (int l = 1; l < k; l++) {
            best = higherIsBetter ? Math.max(best, r[l][j]) : Math.min(best, r[l][j]);
        }
        return -gain(best, r[k][j]);
    }

    /** Average forgetting F_k over the tasks before k (0-based k >= 1). */
    public double averageForgetting(int k) {
        if (k < 1 || k >= r.length) {
            throw new IllegalArgumentException("averageForgetting(k=" + k + "): need 1 <= k < " + r.length);
        }
        double s = 0;
        for (int j = 0; j < k; j++) {
            s += forgetting(j, k);
        }
        return s / k;
    }

    /** Average forgetting after the last task. */
    public double averageForgetting() {
        return averageForgetting(r.length - 1);
    }

    /** All metrics as plain values. */
    public Summary summary() {
        return new Summary(metric, r.length, averageScore(), backwardTransfer(), forwardTransfer(), averageForgetting());
    }

    /** The metrics of one matrix. */
    public record Summary(String metric, int tasks, double average, double backwardTransfer,
                          double forwardTransfer, double averageForgetting) {
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ForgettingMatrix(" + metric + ", " + r.length + " tasks)\n");
        for (double[] row : r) {
            for (double v : row) {
                sb.append(String.format("%9.4f", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
