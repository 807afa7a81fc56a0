package org.calmnest.lib.eval;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BrierLmTest {

    static int draw(double[] p, Random rng) {
        double u = rng.nextDouble();
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    @Test
    void twoSampleEstimatorIsUnbiasedWithinAToleranceFromItsVariance() {
        double[] p = {0.5, 0.2, 0.15, 0.1, 0.05};     // the model
        double[] q = {0.3, 0.3, 0.2, 0.1, 0.1};       // where the truth comes from
        double known = 0;
        double second = 0; // E[Z^2] by enumeration over y, x1, x2
        for (int y = 0; y < 5; y++) {
            known += q[y] * BrierLm.exact(p, y);
            for (int a = 0; a < 5; a++) {
                for (int b = 0; b < 5; b++) {
                    double z = (a == y ? 1 : 0) + (b == y ? 1 : 0) - (a == b ? 1 : 0);
                    second += q[y] * p[a] * p[b] * z * z;
                }
            }
        }
        double variance = second - known * known;
        int draws = 40_000;
        Random rng = new Random(11);
        BrierLm acc = new BrierLm(1, -1);
        for (int i = 0; i < draws; i++) {
            acc.addSamples(new int[] {draw(q, rng)}, new int[] {draw(p, rng)}, new int[] {draw(p, rng)});
        }
        double tolerance = 4 * Math.sqrt(variance / draws); // 4 standard errors
        assertThat(acc.result().brier(1)).isCloseTo(known, within(tolerance));
        assertThat(tolerance).isLessThan(0.02); // the test can tell 0.30 from 0.33
        assertThat(known).isCloseTo(2 * (0.15 + 0.06 + 0.03 + 0.01 + 0.005) - (0.25 + 0.04 + 0.0225 + 0.01 + 0.0025), within(1e-12));
    }

    @Test
    void perfectPredictorScores100() {
        BrierLm acc = new BrierLm();
        Random rng = new Random(1);
        for (int i = 0; i < 50; i++) {
            int[] truth = {rng.nextInt(9), rng.nextInt(9), rng.nextInt(9), rng.nextInt(9), rng.nextInt(9)};
            acc.addSamples(truth, truth.clone(), truth.clone());
        }
        BrierLm.Result r = acc.result();
        assertThat(r.brierLm()).isEqualTo(100.0);
        assertThat(r.counts()).containsExactly(50, 50, 50, 50);
    }

    @Test
    void uniformPredictorScoresTheFormulaValue() {
        int v = 3;
        // exact terms: Brier-n = 2 V^-n - V^-n = V^-n, BrierLM = 100 * V^(-(1+2+3+4)/4) = 100 V^-2.5
        BrierLm exact = new BrierLm();
        for (int n = 1; n <= 4; n++) {
            exact.add(n, 2 / Math.pow(v, n), 1 / Math.pow(v, n));
        }
        assertThat(exact.result().brierLm()).isCloseTo(100 * Math.pow(v, -2.5), within(1e-9));
        // two-sample estimates from a uniform sampler converge to the same value
        Random rng = new Random(5);
        BrierLm sampled = new BrierLm();
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            int[] y = {rng.nextInt(v), rng.nextInt(v), rng.nextInt(v), rng.nextInt(v)};
            int[] x1 = {rng.nextInt(v), rng.nextInt(v), rng.nextInt(v), rng.nextInt(v)};
            int[] x2 = {rng.nextInt(v), rng.nextInt(v), rng.nextInt(v), rng.nextInt(v)};
            sampled.addSamples(y, x1, x2);
        }
        BrierLm.Result r = sampled.result();
        for (int n = 1; n <= 4; n++) {
            double pn = Math.pow(v, -n);
            // Z = a + b - c with a, b ~ Bernoulli(pn) and c ~ Bernoulli(pn), pairwise covariances pn^2 - pn^2... bound by 3 pn
            double sd = Math.sqrt(3 * pn / draws);
            assertThat(r.brier(n)).as("Brier-%d", n).isCloseTo(pn, within(5 * sd));
        }
        assertThat(r.brierLm()).isCloseTo(100 * Math.pow(v, -2.5), within(0.1 * 100 * Math.pow(v, -2.5)));
    }

    @Test
    void exactAccuracyTermAndCumulativeMatches() {
        BrierLm acc = new BrierLm();
        // samples agree on tokens 1-2 only; truth matches sample 1 on token 1 only
        acc.addSamples(new int[] {1, 2, 3, 4}, new int[] {1, 5, 3, 4}, new int[] {1, 5, 6, 4});
        BrierLm.Result r = acc.result();
        assertThat(r.brier()).containsExactly(1 + 1 - 1, 0 + 0 - 1, 0 + 0 - 0, 0 + 0 - 0);
        BrierLm ex = new BrierLm(4, 9);
        ex.addExact(new int[] {1, 2, 9, 4}, new double[] {0.5, 0.25, 0.1, 0.1}, new double[] {0.3}, new int[] {1, 2, 0, 0}, new int[] {1, 3, 0, 0});
        BrierLm.Result e = ex.result();
        assertThat(e.brier(1)).isCloseTo(1.0 - 0.3, within(1e-12));
        assertThat(e.brier(2)).isCloseTo(0.5 - 0, within(1e-12));
        assertThat(e.counts()).containsExactly(1, 1, 0, 0); // the PAD id 9 stops the n-gram
        assertThat(e.brierLm()).isNaN();
    }

    @Test
    void scoreClampsAndRejectsBadInput() {
        assertThat(BrierLm.score(new double[] {0.5, 0.2, -0.01, 0.1})).isZero();
        assertThat(BrierLm.score(new double[] {0.5, -0.2, -0.01, 0.1})).isZero();
        assertThat(BrierLm.score(new double[] {0.5, 0.2, 0.1, 0.05})).isCloseTo(100 * Math.pow(0.5 * 0.2 * 0.1 * 0.05, 0.25), within(1e-9));
        assertThatThrownBy(() -> new BrierLm(0, -1)).hasMessageContaining("maxN = 0");
        assertThatThrownBy(() -> new BrierLm().add(5, 1, 0)).hasMessageContaining("n = 5");
    }
}
