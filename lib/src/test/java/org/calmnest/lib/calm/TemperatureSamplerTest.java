package org.calmnest.lib.calm;

import org.calmnest.lib.calm.DiscreteSampler.IntTuple;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemperatureSamplerTest {

    /** P over 6 outcomes, encoded as 2-token tuples (i / 3, i % 3) so tuple equality is exercised. */
    static final double[] P = {0.32, 0.24, 0.18, 0.12, 0.09, 0.05};

    static DiscreteSampler<IntTuple> tuples(long seed) {
        Random r = new Random(seed);
        return DiscreteSampler.of(() -> {
            double u = r.nextDouble();
            int i = 0;
            while (i < P.length - 1 && (u -= P[i]) >= 0) {
                i++;
            }
            return new IntTuple(new int[] {i / 3, i % 3});
        });
    }

    /** Pearson chi-square of observed counts against expected probabilities. */
    static double chiSquare(long[] observed, double[] expected) {
        long n = 0;
        for (long o : observed) {
            n += o;
        }
        double chi = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = n * expected[i];
            chi += (observed[i] - e) * (observed[i] - e) / e;
        }
        return chi;
    }

    /** Critical value of chi-square with 5 degrees of freedom at p = 0.001. */
    static final double CRITICAL_5DF = 20.515;

    static long[] histogram(TemperatureSampler<IntTuple> s, int n) {
        long[] counts = new long[P.length];
        for (int i = 0; i < n; i++) {
            int[] t = s.sample().ids();
            counts[t[0] * 3 + t[1]]++;
        }
        return counts;
    }

    @Test
    void exactAlgorithmReproducesPowerOfPAtHalf() {
        TemperatureSampler<IntTuple> s = TemperatureSampler.exact(0.5, tuples(1), new Random(2));
        long[] counts = histogram(s, 20_000);
        assertThat(chiSquare(counts, TemperatureSampler.target(P, 0.5))).isLessThan(CRITICAL_5DF);
        // and it is not P itself: the test has the power to tell
        assertThat(chiSquare(counts, P)).isGreaterThan(1000);
    }

    @Test
    void exactAlgorithmReproducesPowerOfPAtPointSeven() {
        TemperatureSampler<IntTuple> s = TemperatureSampler.exact(0.7, tuples(3), new Random(4));
        long[] counts = histogram(s, 20_000);
        assertThat(chiSquare(counts, TemperatureSampler.target(P, 0.7))).isLessThan(CRITICAL_5DF);
        assertThat(chiSquare(counts, P)).isGreaterThan(100);
        assertThat(chiSquare(counts, TemperatureSampler.target(P, 0.5))).isGreaterThan(100);
    }

    @Test
    void batchApproximationWithLargeNReproducesPowerOfPAtHalf() {
        TemperatureSampler<IntTuple> s = TemperatureSampler.batch(0.5, 1000, tuples(5), new Random(6));
        long[] counts = histogram(s, 10_000);
        assertThat(chiSquare(counts, TemperatureSampler.target(P, 0.5))).isLessThan(CRITICAL_5DF);
        assertThat(s.draws()).isEqualTo(10_000L * 1000);
    }

    @Test
    void batchWithOneCandidateIsPlainSamplingAndTemperatureOneIsP() {
        long[] one = histogram(TemperatureSampler.batch(0.5, 1, tuples(7), new Random(8)), 20_000);
        assertThat(chiSquare(one, P)).isLessThan(CRITICAL_5DF);
        long[] t1 = histogram(TemperatureSampler.exact(1.0, tuples(9), new Random(10)), 20_000);
        assertThat(chiSquare(t1, P)).isLessThan(CRITICAL_5DF);
    }

    @Test
    void badSettingsAreRejected() {
        DiscreteSampler<IntTuple> s = tuples(1);
        Random r = new Random(1);
        assertThatThrownBy(() -> TemperatureSampler.exact(0, s, r)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature = 0.0").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> TemperatureSampler.exact(1.5, s, r)).hasMessageContaining("temperature = 1.5");
        assertThatThrownBy(() -> TemperatureSampler.exact(-0.2, s, r)).hasMessageContaining("temperature = -0.2");
        assertThatThrownBy(() -> TemperatureSampler.batch(0.4, 100, s, r)).hasMessageContaining("not 1/n");
        assertThatThrownBy(() -> TemperatureSampler.batch(0.5, 0, s, r)).hasMessageContaining("candidates N = 0");
        assertThatThrownBy(() -> TemperatureSampler.exact(0.5, s, r, 0)).hasMessageContaining("maxDraws = 0");
        // a flat distribution at a tiny T exhausts the draw limit with a clear message
        Random u = new Random(3);
        DiscreteSampler<Integer> flat = DiscreteSampler.of(() -> u.nextInt(1000));
        assertThatThrownBy(() -> TemperatureSampler.exact(0.1, flat, r, 10_000).sample())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("batch approximation");
        assertThat(TemperatureSampler.batch(1.0 / 3, 10, s, r).temperature()).isEqualTo(1.0 / 3);
    }
}
