package org.calmnest.lib.nested;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SelfModifyingMemoryTest {

    private static final int D = 4;
    private static final int H = 2;
    private static final int DH = D / H;
    private static final int M = 3;
    private static final int T = 6;
    private static final double ETA_MAX = 0.5;

    /** The block in float64 with every parameter drawn at a visible scale. */
    private static SelfModifyingMemory block(NDManager m, int chunk) {
        TorchRuntime.seed(21);
        SelfModifyingMemory b = new SelfModifyingMemory(D, new HopeConfig(H, M, chunk, ETA_MAX, 2));
        b.initialize(m, DataType.FLOAT64, new Shape(1, T, D));
        Random r = new Random(4);
        for (Parameter p : b.getParameters().values()) {
            NDArray a = p.getArray();
            double[] v = new double[(int) a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 0.5 * r.nextGaussian();
            }
            a.set(m.create(v, a.getShape()).toByteBuffer());
        }
        return b;
    }

    private static NDArray input(NDManager m, long seed) {
        Random r = new Random(seed);
        double[] v = new double[T * D];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return m.create(v, new Shape(1, T, D));
    }

    @Test
    void chunkOfOneEqualsPlainTokenByTokenRecurrence() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            SelfModifyingMemory b = block(m, 1);
            NDArray x = input(m, 1);
            double[] got = b.forward(new ParameterStore(m, false), x, false).toDoubleArray();
            double[] want = reference(b, x.toDoubleArray());
            assertThat(got).containsExactly(want, within(1e-10));
        }
    }

    @Test
    void everyChunkSizeIsCausal() {
        for (int chunk : new int[]{1, 2, 4}) {
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                SelfModifyingMemory b = block(m, chunk);
                NDArray x = input(m, 2);
                NDArray y = x.duplicate();
                y.set(new NDIndex("0, 4:"), 7.0);                                   // change positions 4 and 5 only
                ParameterStore ps = new ParameterStore(m, false);
                NDArray ox = b.forward(ps, x, false);
                NDArray oy = b.forward(ps, y, false);
                assertThat(oy.get("0, :4").toDoubleArray()).as("chunk " + chunk)
                        .containsExactly(ox.get("0, :4").toDoubleArray(), within(1e-12));
                assertThat(oy.get("0, 4:").toDoubleArray()).isNotEqualTo(ox.get("0, 4:").toDoubleArray());
            }
        }
    }

    @Test
    void oneChunkReadsOnlyTheInitialStateAndLaterChunksSeeTheUpdate() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray x = input(m, 3);
            double[] whole = block(m, T).forward(new ParameterStore(m, false), x, false).toDoubleArray();
            double[] tokens = block(m, 1).forward(new ParameterStore(m, false), x, false).toDoubleArray();
            double[] halves = block(m, 3).forward(new ParameterStore(m, false), x, false).toDoubleArray();
            // position 0 never sees an update: all three agree there
            for (int i = 0; i < D; i++) {
                assertThat(whole[i]).isCloseTo(tokens[i], within(1e-12));
            }
            // the first half of chunk size 3 equals the single chunk (same initial state), the second half differs
            for (int i = 0; i < 3 * D; i++) {
                assertThat(halves[i]).isCloseTo(whole[i], within(1e-12));
            }
            assertThat(java.util.Arrays.copyOfRange(halves, 3 * D, T * D)).isNotEqualTo(java.util.Arrays.copyOfRange(whole, 3 * D, T * D));
        }
    }

    @Test
    void outerGradientReachesTheInitialMemoryStates() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            SelfModifyingMemory b = block(m, 2);
            NDArray x = input(m, 5);
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                gc.backward(b.forward(new ParameterStore(m, false), x, true).square().sum());
            }
            for (String name : new String[]{"w1Init", "w2Init", "etaRead", "aBias", "conv"}) {
                NDArray g = b.getParameters().get(name).getArray().getGradient();
                assertThat(g.abs().sum().getDouble()).as(name).isGreaterThan(0);
            }
        }
    }

    // ---------- an independent plain-Java HOPE recurrence (one sequence, token by token) ----------

    private static double[] reference(SelfModifyingMemory b, double[] x) {
        Map<String, double[]> p = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        b.getParameters().forEach(e -> {
            p.put(e.getKey().replaceFirst("^\\d\\d", ""), e.getValue().getArray().toDoubleArray());
            shapes.put(e.getKey(), e.getValue().getArray().getShape().getShape());
        });
        double[] conv = p.get("conv");
        double[] wq = p.get("wq_weight");
        double[] wo = p.get("wo_weight");
        double[][][][] w1 = new double[H][5][DH][M];
        double[][][][] w2 = new double[H][5][M][DH];
        for (int h = 0; h < H; h++) {
            for (int i = 0; i < 5; i++) {
                for (int r = 0; r < DH; r++) {
                    for (int c = 0; c < M; c++) {
                        w1[h][i][r][c] = p.get("w1Init")[((h * 5 + i) * DH + r) * M + c];
                        w2[h][i][c][r] = p.get("w2Init")[((h * 5 + i) * M + c) * DH + r];
                    }
                }
            }
        }
        double[] out = new double[T * D];
        for (int t = 0; t < T; t++) {
            double[] xc = new double[D];
            for (int j = 0; j < D; j++) {
                xc[j] = conv[j] * x[t * D + j] + (t > 0 ? conv[D + j] * x[(t - 1) * D + j] : 0);
            }
            double[] qAll = new double[D];
            for (int r = 0; r < D; r++) {
                for (int c = 0; c < D; c++) {
                    qAll[r] += wq[r * D + c] * xc[c];
                }
            }
            double[] o = new double[D];
            for (int h = 0; h < H; h++) {
                double[] z = java.util.Arrays.copyOfRange(xc, h * DH, (h + 1) * DH);
                double[] q = unit(java.util.Arrays.copyOfRange(qAll, h * DH, (h + 1) * DH));
                double[][] read = new double[5][];
                for (int i = 0; i < 5; i++) {
                    read[i] = mem(w1[h][i], w2[h][i], i < 4 ? z : q);
                }
                double[] k = unit(read[0]);
                double[] v = unit(read[1]);
                double eta = ETA_MAX * sigmoid(dot(p.get("etaRead"), h * DH, read[2]) + p.get("etaBias")[h]);
                double a = sigmoid(dot(p.get("aRead"), h * DH, read[3]) + p.get("aBias")[h]);
                System.arraycopy(read[4], 0, o, h * DH, DH);
                for (int i = 0; i < 5; i++) {
                    double[] vhat = mem(w1[h][i], w2[h][i], v);
                    dgdStep(w1[h][i], w2[h][i], k, vhat, eta, a);
                }
            }
            for (int r = 0; r < D; r++) {
                for (int c = 0; c < D; c++) {
                    out[t * D + r] += wo[r * D + c] * o[c];
                }
            }
        }
        return out;
    }

    /** M(z) = z + W1 silu(W2 z). */
    private static double[] mem(double[][] w1, double[][] w2, double[] z) {
        double[] y = z.clone();
        double[] h = new double[M];
        for (int c = 0; c < M; c++) {
            double pc = 0;
            for (int j = 0; j < DH; j++) {
                pc += w2[c][j] * z[j];
            }
            h[c] = pc * sigmoid(pc);
        }
        for (int r = 0; r < DH; r++) {
            for (int c = 0; c < M; c++) {
                y[r] += w1[r][c] * h[c];
            }
        }
        return y;
    }

    /** In place: W <- W (a I - eta x̂ x̂ᵀ) - eta dL/dW for both layers (gradients at the old state). */
    private static void dgdStep(double[][] w1, double[][] w2, double[] k, double[] vhat, double eta, double a) {
        double[] pre = new double[M];
        double[] h = new double[M];
        double[] ds = new double[M];
        for (int c = 0; c < M; c++) {
            for (int j = 0; j < DH; j++) {
                pre[c] += w2[c][j] * k[j];
            }
            double s = sigmoid(pre[c]);
            h[c] = pre[c] * s;
            ds[c] = s * (1 + pre[c] * (1 - s));
        }
        double[] r = mem(w1, w2, k);
        for (int j = 0; j < DH; j++) {
            r[j] -= vhat[j];
        }
        double[][] g1 = new double[DH][M];
        double[][] g2 = new double[M][DH];
        for (int c = 0; c < M; c++) {
            double back = 0;
            for (int j = 0; j < DH; j++) {
                g1[j][c] = 2 * r[j] * h[c];
                back += w1[j][c] * r[j];
            }
            for (int j = 0; j < DH; j++) {
                g2[c][j] = 2 * back * ds[c] * k[j];
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
        for (double[] row : g1) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= 1 + hh;                    // normalised delta rule: W1's input is h
            }
        }
        for (double[] row : g2) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= 1 + ww;                    // W2's curvature scales with ||W1||²
            }
        }
        double[][] n1 = erase(w1, h, g1, eta, a);
        double[][] n2 = erase(w2, k, g2, eta, a);
        for (int i = 0; i < n1.length; i++) {
            w1[i] = n1[i];
        }
        for (int i = 0; i < n2.length; i++) {
            w2[i] = n2[i];
        }
    }

    private static double[][] erase(double[][] w, double[] x, double[][] g, double eta, double a) {
        double[] xh = unit(x);
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

    private static double[] unit(double[] x) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        n = Math.sqrt(n + 1e-12);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / n;
        }
        return y;
    }

    private static double dot(double[] w, int offset, double[] x) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += w[offset + i] * x[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
