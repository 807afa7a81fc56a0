package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VariationalObjectiveTest {

    @Test
    void klOnAHandComputedExample() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            // chunk 0: (mean, sigma) = (1, 1), (0, 0.5); chunk 1: (0, 1), (2, e^-1)
            NDArray mean = m.create(new float[] {1f, 0f, 0f, 2f}, new Shape(2, 2));
            NDArray logSigma = m.create(new float[] {0f, (float) Math.log(0.5), 0f, -1f}, new Shape(2, 2));
            float[] kl = VariationalObjective.klPerDim(mean, logSigma).toFloatArray();
            double a = 0.5 * (1 + 1 - 1) - 0;                          // 0.5
            double b = 0.5 * (0 + 0.25 - 1) - Math.log(0.5);           // 0.318147...
            double c = 0.0;                                            // the prior itself
            double d = 0.5 * (4 + Math.exp(-2) - 1) + 1;               // 2.567667...
            assertThat((double) kl[0]).isCloseTo(a, within(1e-6));
            assertThat((double) kl[1]).isCloseTo(b, within(1e-6));
            assertThat((double) kl[2]).isCloseTo(c, within(1e-6));
            assertThat((double) kl[3]).isCloseTo(d, within(1e-6));
            NDArray perDim = VariationalObjective.klPerDim(mean, logSigma);
            // free bits 0.5: max(kl_i, 0.5) summed per chunk, averaged over chunks
            double clipped = ((0.5 + 0.5) + (0.5 + d)) / 2;
            assertThat((double) VariationalObjective.klClipped(perDim, 0.5).getFloat()).isCloseTo(clipped, within(1e-5));
            // clipping off: the plain KL
            assertThat((double) VariationalObjective.klClipped(perDim, 0).getFloat())
                    .isCloseTo(((a + b) + (c + d)) / 2, within(1e-5));
        }
    }

    @Test
    void crossEntropyOnAHandComputedExample() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            // one chunk of K=2 over V=3: logits (0, 0, 0) and (ln 2, 0, 0)
            NDArray logits = m.create(new float[] {0, 0, 0, (float) Math.log(2), 0, 0}, new Shape(1, 2, 3));
            NDArray ids = m.create(new long[] {1, 0}, new Shape(1, 2));
            double expected = (Math.log(3) + -Math.log(2.0 / 4.0)) / 2;
            assertThat((double) VariationalObjective.crossEntropy(logits, ids).getFloat()).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void dropTokenReplacesAboutTheRateWithMask() {
        TorchRuntime.seed(11);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray ids = m.arange(0, 40000, 1, DataType.INT64).mod(200).reshape(10000, 4); // no MASK ids inside
            long[] out = VariationalObjective.dropToken(m, ids, 0.15, ByteTokenizer.MASK).toLongArray();
            long[] in = ids.toLongArray();
            int masked = 0;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == ByteTokenizer.MASK) {
                    masked++;
                } else {
                    assertThat(out[i]).isEqualTo(in[i]);
                }
            }
            assertThat(masked / 40000.0).isCloseTo(0.15, within(0.01));
            assertThat(VariationalObjective.dropToken(m, ids, 0, ByteTokenizer.MASK)).isSameAs(ids);
        }
    }

    @Test
    void dropLatentIsInvertedDropout() {
        TorchRuntime.seed(12);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray z = m.ones(new Shape(1000, 64));
            float[] out = VariationalObjective.dropLatent(m, z, 0.15).toFloatArray();
            int zeros = 0;
            double sum = 0;
            for (float v : out) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertThat((double) v).isCloseTo(1 / 0.85, within(1e-6));
                }
                sum += v;
            }
            assertThat(zeros / 64000.0).isCloseTo(0.15, within(0.01));
            assertThat(sum / 64000.0).isCloseTo(1.0, within(0.02)); // expectation preserved
        }
    }

    @Test
    void reparameterisationHasTheRightMoments() {
        TorchRuntime.seed(13);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray mean = m.full(new Shape(20000, 2), 3f);
            NDArray logSigma = m.full(new Shape(20000, 2), (float) Math.log(0.3));
            NDArray z = VariationalObjective.reparameterise(m, mean, logSigma);
            assertThat((double) z.mean().getFloat()).isCloseTo(3.0, within(0.01));
            double sd = Math.sqrt(z.sub(3f).square().mean().getFloat());
            assertThat(sd).isCloseTo(0.3, within(0.01));
        }
    }
}
