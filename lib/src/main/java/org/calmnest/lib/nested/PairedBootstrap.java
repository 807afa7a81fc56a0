package org.calmnest.lib.nested;

import java.util.Arrays;
import java.util.Random;

/**
 * Percentile bootstrap confidence interval of the mean of paired differences
 * {@code d_i = a_i - b_i} (pairs share seed and task order), and of the relative change
 * {@code mean(a) / mean(b) - 1} resampling the same pairs.
 */
public final class PairedBootstrap {

    private PairedBootstrap() {
    }

    /**
     * @param mean     mean of a - b
     * @param lo       lower end of the interval
     * @param hi       upper end
     * @param relative mean(a) / mean(b) - 1
     * @param relLo    its lower end
     * @param relHi    its upper end
     * @param pairs    number of pairs
     */
    public record Interval(double mean, double lo, double hi, double relative, double relLo, double relHi, int pairs) {
        @Override
        public String toString() {
            return String.format("%+.4f [%+.4f, %+.4f] (relative %+.1f%% [%+.1f%%, %+.1f%%], n=%d)",
                    mean, lo, hi, 100 * relative, 100 * relLo, 100 * relHi, pairs);
        }
    }

    /** 95 % interval from {@code resamples} resamples with a fixed seed. */
    public static Interval of(double[] a, double[] b, int resamples, long seed) {
        if (a == null || b == null || a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("PairedBootstrap: need two arrays of the same length >= 2 (got "
                    + (a == null ? "null" : a.length) + " and " + (b == null ? "null" : b.length) + "); run at least 2 seeds");
        }
        if (resamples < 100) {
            throw new IllegalArgumentException("PairedBootstrap: resamples = " + resamples + " is too few; use 1000 or more");
        }
        int n = a.length;
        Random r = new Random(seed);
        double[] means = new double[resamples];
        double[] rel = new double[resamples];
        for (int s = 0; s < resamples; s++) {
            double sa = 0;
            double sb = 0;
            for (int i = 0; i < n; i++) {
                int k = r.nextInt(n);
                sa += a[k];
                sb += b[k];
            }
            means[s] = (sa - sb) / n;
            rel[s] = sa / sb - 1;
        }
        Arrays.sort(means);
        Arrays.sort(rel);
        double ma = Arrays.stream(a).average().orElseThrow();
        double mb = Arrays.stream(b).average().orElseThrow();
        int lo = (int) Math.floor(0.025 * (resamples - 1));
        int hi = (int) Math.ceil(0.975 * (resamples - 1));
        return new Interval(ma - mb, means[lo], means[hi], ma / mb - 1, rel[lo], rel[hi], n);
    }
}
