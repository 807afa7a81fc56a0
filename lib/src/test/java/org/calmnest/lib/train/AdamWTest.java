package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused AdamW kernel against the operation-by-operation form and a hand computation. */
class AdamWTest {

    /** Runs {@code steps} updates of a (3, 4) matrix and a (4) vector; returns both, flattened. */
    private static double[] run(AdamW opt, DataType type, int steps, double lr) {
        Random r = new Random(11);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            double[] w0 = new double[12];
            double[] b0 = new double[4];
            for (int i = 0; i < 12; i++) {
                w0[i] = r.nextGaussian();
            }
            for (int i = 0; i < 4; i++) {
                b0[i] = r.nextGaussian();
            }
            NDArray w = m.create(w0, new Shape(3, 4)).toType(type, false);
            NDArray b = m.create(b0, new Shape(4)).toType(type, false);
            for (int t = 1; t <= steps; t++) {
                try (NDManager step = m.newSubManager()) {
                    double[] gw = new double[12];
                    double[] gb = new double[4];
                    for (int i = 0; i < 12; i++) {
                        gw[i] = r.nextGaussian() * (i % 3 == 0 ? 1e-3 : 1);
                    }
                    for (int i = 0; i < 4; i++) {
                        gb[i] = r.nextGaussian();
                    }
                    NDArray g1 = step.create(gw, new Shape(3, 4)).toType(type, false);
                    NDArray g2 = step.create(gb, new Shape(4)).toType(type, false);
                    opt.update("w", w, g1, lr, t, m);
                    opt.update("b", b, g2, lr, t, m);
                    assertThat(g1.toType(DataType.FLOAT64, false).toDoubleArray())
                            .as("the update must not change the gradient it was given").containsExactly(
                                    step.create(gw, new Shape(3, 4)).toType(type, false).toType(DataType.FLOAT64, false).toDoubleArray());
                }
            }
            double[] out = new double[16];
            System.arraycopy(w.toType(DataType.FLOAT64, false).toDoubleArray(), 0, out, 0, 12);
            System.arraycopy(b.toType(DataType.FLOAT64, false).toDoubleArray(), 0, out, 12, 4);
            return out;
        }
    }

    /**
     * The fused kernel's JNI signature takes the hyperparameters as float32 (lr, betas, eps), so in
     * float64 the two forms agree to float32 precision of those scalars (~1e-8 relative per step),
     * not to 1e-15; a wrong formula (bias correction, eps placement, decay) differs by > 1e-4.
     */
    @Test
    void fusedEqualsUnfusedInFloat64() {
        assertFusedMatches(0.95, 0.1, DataType.FLOAT64, 1e-2, 1e-8);
    }

    @Test
    void fusedEqualsUnfusedInFloat32() {
        assertFusedMatches(0.999, 0.01, DataType.FLOAT32, 3e-3, 2e-6);
    }

    private static void assertFusedMatches(double beta2, double decay, DataType type, double lr, double tolerance) {
        double[] fused = run(new AdamW(0.9, beta2, 1e-8, decay), type, 25, lr);
        double[] plain = run(AdamW.unfused(0.9, beta2, 1e-8, decay), type, 25, lr);
        for (int i = 0; i < fused.length; i++) {
            assertThat(fused[i]).as("element " + i).isCloseTo(plain[i], within(tolerance));
        }
    }

    @Test
    void firstStepMatchesHandComputation() {
        // t = 1: m = (1-b1) g, v = (1-b2) g^2, so m/(1-b1) / (sqrt(v/(1-b2)) + eps) = g / (|g| + eps)
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            for (AdamW opt : new AdamW[] {new AdamW(0.9, 0.95, 1e-8, 0.5), AdamW.unfused(0.9, 0.95, 1e-8, 0.5)}) {
                NDArray w = m.create(new double[] {1, -2, 3, 0.5}, new Shape(2, 2));
                NDArray g = m.create(new double[] {0.2, -4, 1e-3, 0}, new Shape(2, 2));
                opt.update("w", w, g, 0.1, 1, m);
                double[] want = new double[4];
                double[] w0 = {1, -2, 3, 0.5};
                double[] g0 = {0.2, -4, 1e-3, 0};
                for (int i = 0; i < 4; i++) {
                    want[i] = w0[i] * (1 - 0.1 * 0.5) - 0.1 * g0[i] / (Math.abs(g0[i]) + 1e-8);
                }
                double[] got = w.toDoubleArray();
                for (int i = 0; i < 4; i++) {
                    assertThat(got[i]).as((opt.fused() ? "fused" : "unfused") + " element " + i).isCloseTo(want[i], within(1e-7)); // float32 scalars, see above
                }
            }
        }
    }
}
