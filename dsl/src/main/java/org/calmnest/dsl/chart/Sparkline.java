package org.calmnest.dsl.chart;

/**
 * A one-line Unicode chart of a series ({@code ▇▆▅▄▃▃▂▂▁▁}) for terminals: the values are
 * averaged into at most {@code width} buckets and scaled between their minimum and maximum.
 */
public final class Sparkline {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};

    private Sparkline() {
    }

    /** The sparkline of {@code values} in at most {@code width} characters; empty for no values. */
    public static String of(double[] values, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("Sparkline width = " + width + " is out of range; use a width >= 1, e.g. 40");
        }
        if (values == null || values.length == 0) {
            return "";
        }
        int n = Math.min(width, values.length);
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) i * values.length / n);
            int to = (int) ((long) (i + 1) * values.length / n);
            double sum = 0;
            int count = 0;
            for (int j = from; j < to; j++) {
                if (Double.isFinite(values[j])) {
                    sum += values[j];
                    count++;
                }
            }
            b[i] = count == 0 ? Double.NaN : sum / count;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : b) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        StringBuilder s = new StringBuilder(n);
        for (double v : b) {
            if (!Double.isFinite(v)) {
                s.append(' ');
            } else if (hi == lo) {
                s.append(BARS[BARS.length / 2]);
            } else {
                int level = (int) Math.round((v - lo) / (hi - lo) * (BARS.length - 1));
                s.append(BARS[level]);
            }
        }
        return s.toString();
    }
}
