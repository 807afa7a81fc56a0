package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

class EnergyScoreLossTest {

    @Test
    void handComputedValue() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            // x1 = (0,0), x2 = (3,4), y = (0,4): |x1-y| = 4, |x2-y| = 3, |x1-x2| = 5
            NDArray x = m.create(new float[] {0, 0, 3, 4}, new Shape(2, 1, 2));
            NDArray y = m.create(new float[] {0, 4}, new Shape(1, 1, 2));
            double loss = EnergyScoreLoss.of(2, 1).loss(x, y).getFloat();
            // 2 * (4 + 3) / 2 - (5 + 5) / 2 = 2
            assertThat(loss).isCloseTo(2.0, within(1e-4));
        }
    }

    @Test
    void matchesBruteForceInFloat64ForAnyAlpha() {
        Random r = new Random(7);
        int n = 3, mm = 4, p = 5, l = 6;
        double[] xs = new double[n * p * l];
        double[] ys = new double[mm * p * l];
        for (int i = 0; i < xs.length; i++) xs[i] = r.nextGaussian();
        for (int i = 0; i < ys.length; i++) ys[i] = r.nextGaussian();
        for (double alpha : new double[] {1.0, 0.5, 1.7}) {
            double expected = 0;
            for (int q = 0; q < p; q++) {
                double fit = 0, spread = 0;
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < mm; b++) fit += Math.pow(dist(xs, a, ys, b, q, p, l), alpha);
                    for (int b = 0; b < n; b++) if (a != b) spread += Math.pow(dist(xs, a, xs, b, q, p, l), alpha);
                }
                expected += 2 * fit / (n * mm) - spread / (n * (n - 1));
            }
            expected /= p;
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                NDArray x = m.create(xs, new Shape(n, p, l));
                NDArray y = m.create(ys, new Shape(mm, p, l));
                double got = new EnergyScoreLoss(n, mm, alpha, 1e-12).loss(x, y).getDouble();
                assertThat(got).as("alpha %s", alpha).isCloseTo(expected, within(1e-6));
            }
        }
    }

    private static double dist(double[] a, int ia, double[] b, int ib, int q, int p, int l) {
        double s = 0;
        for (int k = 0; k < l; k++) {
            double d = a[(ia * p + q) * l + k] - b[(ib * p + q) * l + k];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    @Test
    void gradientIsFiniteWhenSamplesCoincide() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            // both samples at the same point, and equal to one of the targets
            NDArray x = m.create(new float[] {1, 2, 1, 2}, new Shape(2, 1, 2));
            NDArray y = m.create(new float[] {1, 2, 0, 0}, new Shape(2, 1, 2));
            x.setRequiresGradient(true);
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray loss = EnergyScoreLoss.of(2, 2).loss(x, y);
                gc.backward(loss);
            }
            float[] g = x.getGradient().toFloatArray();
            for (float v : g) {
                assertThat(Float.isFinite(v)).as("gradient %s", java.util.Arrays.toString(g)).isTrue();
            }
            // the target at (0,0) pulls the samples towards it: d/dx of 2 * mean|x - y| is (1,2)/sqrt(5) / 2 per sample
            assertThat(g[0]).isCloseTo((float) (1 / Math.sqrt(5) / 2), within(1e-3f));
        }
    }

    @Test
    void matchingSamplerScoresLowerThanShiftedOrCollapsedOne() {
        TorchRuntime.seed(3);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            int p = 4000, l = 8, n = 8;
            NDArray mean = m.randomNormal(0f, 1f, new Shape(p, l), DataType.FLOAT32);
            NDArray sigma = m.randomUniform(0.2f, 0.6f, new Shape(p, l));
            NDArray eps = m.randomNormal(0f, 1f, new Shape(n, p, l), DataType.FLOAT32);
            NDArray matched = eps.mul(sigma).add(mean); // (N, P, l)
            NDArray shifted = matched.add(0.3f);
            NDArray collapsed = mean.expandDims(0).repeat(0, n);
            EnergyScoreLoss es = EnergyScoreLoss.of(n, 100);
            double lm = es.loss(matched, mean, sigma).getFloat();
            double ls = es.loss(shifted, mean, sigma).getFloat();
            double lc = es.loss(collapsed, mean, sigma).getFloat();
            assertThat(lm).isLessThan(ls - 0.05);
            assertThat(lm).isLessThan(lc - 0.05);
        }
    }

    @Test
    void rejectsFewerThanTwoSamples() {
        assertThatThrownBy(() -> EnergyScoreLoss.of(1, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("samples (N) = 1").hasMessageContaining("N >= 2");
        assertThatThrownBy(() -> EnergyScoreLoss.of(8, 100).withAlpha(2.5))
                .hasMessageContaining("alpha = 2.5");
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray x = m.zeros(new Shape(1, 3, 4));
            NDArray y = m.zeros(new Shape(5, 3, 4));
            assertThatThrownBy(() -> EnergyScoreLoss.of(8, 5).loss(x, y))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("N = 1");
        }
    }
}
