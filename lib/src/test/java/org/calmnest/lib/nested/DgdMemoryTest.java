package org.calmnest.lib.nested;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DgdMemoryTest {

    private static final int DH = 5;
    private static final int M = 3;

    @Test
    void handGradientsMatchAutogradInFloat64() {
        TorchRuntime.seed(11);
        Engine engine = TorchRuntime.engine();
        try (NDManager m = engine.newBaseManager()) {
            NDArray w1 = m.randomNormal(0, 0.5f, new Shape(2, DH, M), DataType.FLOAT64);
            NDArray w2 = m.randomNormal(0, 0.5f, new Shape(2, M, DH), DataType.FLOAT64);
            NDArray k = m.randomNormal(0, 1, new Shape(2, 4, DH), DataType.FLOAT64);
            NDArray vhat = m.randomNormal(0, 1, new Shape(2, 4, DH), DataType.FLOAT64);
            NDArray eta = m.randomUniform(0, 1, new Shape(2, 4), DataType.FLOAT64);
            NDArray[] hand = DgdMemory.innerGradients(w1, w2, k, vhat, eta);
            w1.setRequiresGradient(true);
            w2.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray r = DgdMemory.read(w1, w2, k).sub(vhat);                          // (2, 4, DH)
                gc.backward(r.square().sum(new int[]{-1}).mul(eta).sum());
            }
            assertThat(hand[0].toDoubleArray()).containsExactly(w1.getGradient().toDoubleArray(), within(1e-12));
            assertThat(hand[1].toDoubleArray()).containsExactly(w2.getGradient().toDoubleArray(), within(1e-12));
        }
    }

    @Test
    void oneTokenStepIsTheDgdRuleWithRetention() {
        TorchRuntime.seed(12);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            double[][] w1 = rand(m, DH, M);
            double[][] w2 = rand(m, M, DH);
            double[] k = m.randomNormal(0, 1, new Shape(DH), DataType.FLOAT64).toDoubleArray();
            double[] vhat = m.randomNormal(0, 1, new Shape(DH), DataType.FLOAT64).toDoubleArray();
            double eta = 0.3;
            double a = 0.9;
            NDArray[] next = DgdMemory.step(m.create(w1), m.create(w2), m.create(new double[][]{k}), m.create(new double[][]{vhat}),
                    m.create(new double[]{eta}), m.create(new double[]{a}));
            // plain-Java reference: W <- W (a I - eta x̂ x̂ᵀ) - eta dL/dW
            double[] p = matVec(w2, k);
            double[] h = new double[M];
            double[] ds = new double[M];
            for (int i = 0; i < M; i++) {
                double s = 1 / (1 + Math.exp(-p[i]));
                h[i] = p[i] * s;
                ds[i] = s * (1 + p[i] * (1 - s));
            }
            double[] mk = matVec(w1, h);
            double[] r = new double[DH];
            for (int i = 0; i < DH; i++) {
                r[i] = k[i] + mk[i] - vhat[i];
            }
            double[][] g1 = new double[DH][M];
            for (int i = 0; i < DH; i++) {
                for (int j = 0; j < M; j++) {
                    g1[i][j] = 2 * r[i] * h[j];
                }
            }
            double[] back = new double[M];
            for (int j = 0; j < M; j++) {
                for (int i = 0; i < DH; i++) {
                    back[j] += w1[i][j] * r[i];
                }
            }
            double[][] g2 = new double[M][DH];
            for (int j = 0; j < M; j++) {
                for (int i = 0; i < DH; i++) {
                    g2[j][i] = 2 * back[j] * ds[j] * k[i];
                }
            }
            double hh = 0;
            for (double v : h) {
                hh += v * v;
            }
            double ww = 0;
            for (double[] row : w1) {
                for (double v : row) {
                    ww += v * v;
                }
            }
            double[][] want1 = dgd(w1, h, scale(g1, 1 / (1 + hh)), eta, a);    // normalised delta rule on W1
            double[][] want2 = dgd(w2, k, scale(g2, 1 / (1 + ww)), eta, a);    // and on W2

            assertThat(next[0].toDoubleArray()).containsExactly(flat(want1), within(1e-12));
            assertThat(next[1].toDoubleArray()).containsExactly(flat(want2), within(1e-12));
        }
    }

    @Test
    void chunkAppliesTheProductOfRetentionsAndSummedTerms() {
        TorchRuntime.seed(13);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray w1 = m.randomNormal(0, 0.5f, new Shape(DH, M), DataType.FLOAT64);
            NDArray w2 = m.randomNormal(0, 0.5f, new Shape(M, DH), DataType.FLOAT64);
            NDArray k = m.randomNormal(0, 1, new Shape(3, DH), DataType.FLOAT64);
            NDArray v = m.randomNormal(0, 1, new Shape(3, DH), DataType.FLOAT64);
            NDArray eta = m.create(new double[]{0.1, 0.2, 0.05});
            NDArray zero = m.zeros(new Shape(3), DataType.FLOAT64);
            NDArray a = m.create(new double[]{0.9, 0.8, 0.95});
            NDArray[] chunk = DgdMemory.step(w1, w2, k, v, eta, a);
            // with eta = 0 only the retention acts: W <- (prod a) W
            NDArray[] keepOnly = DgdMemory.step(w1, w2, k, v, zero, a);
            assertThat(keepOnly[0].toDoubleArray()).containsExactly(w1.mul(0.9 * 0.8 * 0.95).toDoubleArray(), within(1e-12));
            // the chunk's change is linear in the per-token rates at a = 1
            NDArray one = m.ones(new Shape(3), DataType.FLOAT64);
            NDArray[] all = DgdMemory.step(w1, w2, k, v, eta, one);
            NDArray sum = w1.duplicate();
            for (int t = 0; t < 3; t++) {
                NDArray e = m.zeros(new Shape(3), DataType.FLOAT64);
                e.set(new ai.djl.ndarray.index.NDIndex("{}", t), eta.getDouble(t));
                sum = sum.add(DgdMemory.step(w1, w2, k, v, e, one)[0].sub(w1));
            }
            assertThat(all[0].toDoubleArray()).containsExactly(sum.toDoubleArray(), within(1e-12));
            assertThat(chunk[0].toDoubleArray()).isNotEqualTo(all[0].toDoubleArray());
        }
    }

    private static double[][] rand(NDManager m, int r, int c) {
        double[] v = m.randomNormal(0, 0.5f, new Shape(r * c), DataType.FLOAT64).toDoubleArray();
        double[][] out = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, i * c, out[i], 0, c);
        }
        return out;
    }

    private static double[] matVec(double[][] w, double[] x) {
        double[] y = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += w[i][j] * x[j];
            }
        }
        return y;
    }

    private static double[][] dgd(double[][] w, double[] x, double[][] g, double eta, double a) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        n = Math.sqrt(n + 1e-12);
        double[] xh = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xh[i] = x[i] / n;
        }
        double[][] out = new double[w.length][x.length];
        for (int i = 0; i < w.length; i++) {
            double wx = 0;
            for (int j = 0; j < x.length; j++) {
                wx += w[i][j] * xh[j];
            }
            for (int j = 0; j < x.length; j++) {
                out[i][j] = a * w[i][j] - eta * wx * xh[j] - eta * g[i][j];
            }
        }
        return out;
    }

    private static double[][] scale(double[][] g, double c) {
        double[][] out = new double[g.length][];
        for (int i = 0; i < g.length; i++) {
            out[i] = g[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= c;
            }
        }
        return out;
    }

    private static double[] flat(double[][] a) {
        double[] out = new double[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out, i * a[0].length, a[0].length);
        }
        return out;
    }
}
