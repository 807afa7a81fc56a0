package org.calmnest.lib.calm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Likelihood-free temperature sampling (CALM paper §5): draws from {@code P_T(x) ∝ P(x)^(1/T)}
 * using only a sampler of P.
 *
 * <p><b>Exact</b> (paper Alg. 1), any T in (0, 1]: write {@code 1/T = n + a}, n = floor(1/T).
 * Stage 1 draws n samples and restarts unless all are identical (this accepts x with probability
 * P(x)^n). Stage 2 (when a > 0) is a Bernoulli factory for P(x*)^a: for i = 1, 2, ... draw x;
 * accept x* if x = x*; otherwise restart everything with probability a / i, else continue
 * ({@code P(accept) = p sum_i (1-p)^(i-1) prod_{j<i} (1 - a/j) = p^a}). The cost grows like
 * {@code 1 / sum_x P(x)^(1/T)}; a draw limit turns a hopeless run into a clear error.
 *
 * <p><b>Batch approximation</b> (paper Alg. 2, the reference code), T = 1/n: draw N candidates
 * and count identical ones; for m = n, n-1, ..., 1 take the outcomes seen at least m times,
 * weighted by {@code C(count, m)} (an unbiased estimate of {@code C(N, m) P(x)^m}), and choose
 * among them at the first m that has any. Approaches P^n / Z as N grows.
 */
public final class TemperatureSampler<T> {

    /** Which algorithm. */
    public enum Mode { EXACT, BATCH }

    private final Mode mode;
    private final double temperature;
    private final int candidates;
    private final long maxDraws;
    private final DiscreteSampler<T> sampler;
    private final Random rng;
    private long draws;

    private TemperatureSampler(Mode mode, double temperature, int candidates, long maxDraws, DiscreteSampler<T> sampler, Random rng) {
        if (!(temperature > 0) || temperature > 1) {
            throw new IllegalArgumentException("TemperatureSampler: temperature = " + temperature
                    + " is outside (0, 1]; use e.g. 1 (plain sampling), 0.5 or 0.25");
        }
        if (sampler == null || rng == null) {
            throw new IllegalArgumentException("TemperatureSampler: sampler and rng must not be null");
        }
        this.mode = mode;
        this.temperature = temperature;
        this.candidates = candidates;
        this.maxDraws = maxDraws;
        this.sampler = sampler;
        this.rng = rng;
    }

    /**
     * The exact algorithm for any T in (0, 1].
     *
     * @param maxDraws draws allowed for one sample before giving up (e.g. 1_000_000)
     */
    public static <T> TemperatureSampler<T> exact(double temperature, DiscreteSampler<T> sampler, Random rng, long maxDraws) {
        if (maxDraws < 1) {
            throw new IllegalArgumentException("TemperatureSampler: maxDraws = " + maxDraws + ", use a positive limit such as 1000000");
        }
        return new TemperatureSampler<>(Mode.EXACT, temperature, 0, maxDraws, sampler, rng);
    }

    /** The exact algorithm with a limit of one million draws per sample. */
    public static <T> TemperatureSampler<T> exact(double temperature, DiscreteSampler<T> sampler, Random rng) {
        return exact(temperature, sampler, rng, 1_000_000);
    }

    /**
     * The batch approximation: T must be 1/n for an integer n >= 1.
     *
     * @param candidates N, draws per sample (the reference uses 200)
     */
    public static <T> TemperatureSampler<T> batch(double temperature, int candidates, DiscreteSampler<T> sampler, Random rng) {
        if (candidates < 1) {
            throw new IllegalArgumentException("TemperatureSampler: candidates N = " + candidates + ", use at least 1 (the reference uses 200)");
        }
        if (temperature > 0 && temperature <= 1) {
            double inv = 1 / temperature;
            if (Math.abs(inv - Math.rint(inv)) > 1e-9 * inv) {
                throw new IllegalArgumentException("TemperatureSampler: temperature = " + temperature
                        + " is not 1/n; the batch approximation needs T = 1, 1/2, 1/3, ... (use the exact mode for other T)");
            }
        }
        return new TemperatureSampler<>(Mode.BATCH, temperature, candidates, 0, sampler, rng);
    }

    /** Either algorithm by name: the batch one uses {@code candidates}, the exact one ignores it. */
    public static <T> TemperatureSampler<T> of(Mode mode, double temperature, int candidates, DiscreteSampler<T> sampler, Random rng) {
        return mode == Mode.BATCH ? batch(temperature, candidates, sampler, rng) : exact(temperature, sampler, rng);
    }

    /** One draw from P^(1/T) (exactly, or approximately in batch mode). */
    public T sample() {
        return mode == Mode.EXACT ? sampleExact() : sampleBatch();
    }

    /** Draws taken from the underlying sampler so far (the cost). */
    public long draws() {
        return draws;
    }

    public Mode mode() {
        return mode;
    }

    public double temperature() {
        return temperature;
    }

    private List<T> take(int n) {
        List<T> xs = sampler.draw(n);
        if (xs.size() != n) {
            throw new IllegalStateException("TemperatureSampler: the sampler returned " + xs.size() + " draws for " + n + " requested");
        }
        draws += n;
        return xs;
    }

    private T sampleExact() {
        double inv = 1 / temperature;
        int n = (int) Math.floor(inv + 1e-12);
        double a = inv - n;
        if (a < 1e-12) {
            a = 0;
        }
        long start = draws;
        while (true) {
            if (draws - start > maxDraws) {
                throw new IllegalStateException("TemperatureSampler: no sample after " + (draws - start) + " draws at T = " + temperature
                        + "; the distribution is too flat for the exact algorithm at this T. Raise T, raise maxDraws, "
                        + "or use the batch approximation");
            }
            List<T> xs = take(n); // stage 1: n identical draws
            T star = xs.get(0);
            boolean same = true;
            for (int i = 1; i < n && same; i++) {
                same = star.equals(xs.get(i));
            }
            if (!same) {
                continue;
            }
            if (a == 0) {
                return star;
            }
            boolean restart = false;
            for (int i = 1; !restart; i++) { // stage 2: accept with probability P(x*)^a
                if (take(1).get(0).equals(star)) {
                    return star;
                }
                restart = rng.nextDouble() < a / i;
                if (draws - start > maxDraws) {
                    break;
                }
            }
        }
    }

    private T sampleBatch() {
        int n = (int) Math.rint(1 / temperature);
        Map<T, Integer> counts = new LinkedHashMap<>();
        for (T x : take(candidates)) {
            counts.merge(x, 1, Integer::sum);
        }
        for (int m = Math.min(n, candidates); m >= 1; m--) {
            List<T> keys = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            double total = 0;
            for (Map.Entry<T, Integer> e : counts.entrySet()) {
                if (e.getValue() >= m) {
                    double w = binomial(e.getValue(), m);
                    keys.add(e.getKey());
                    weights.add(w);
                    total += w;
                }
            }
            if (!keys.isEmpty()) {
                double u = rng.nextDouble() * total;
                for (int i = 0; i < keys.size(); i++) {
                    u -= weights.get(i);
                    if (u < 0) {
                        return keys.get(i);
                    }
                }
                return keys.get(keys.size() - 1);
            }
        }
        throw new IllegalStateException("unreachable: m = 1 always has a candidate");
    }

    /** C(c, m) in double precision (exact for the counts used here). */
    static double binomial(int c, int m) {
        double r = 1;
        for (int i = 0; i < m; i++) {
            r = r * (c - i) / (i + 1);
        }
        return r;
    }

    /** The target {@code P^(1/T) / Z} of a known distribution, for tests and reports. */
    public static double[] target(double[] p, double temperature) {
        double[] out = new double[p.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) {
            out[i] = Math.pow(p[i], 1 / temperature);
            z += out[i];
        }
        for (int i = 0; i < p.length; i++) {
            out[i] /= z;
        }
        return out;
    }
}
