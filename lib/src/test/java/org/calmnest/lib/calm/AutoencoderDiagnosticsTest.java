package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AutoencoderDiagnosticsTest {

    @Test
    void diagnosticsAgreeWithTheirDefinitions() {
        TorchRuntime.seed(31);
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 31);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            int[][] corpus = AeTestSupport.corpus(32, 4, 26, 5);
            AeTestSupport.train(ae, 10, 32, corpus, 3e-3f, 31); // any trained state will do
            TrainBatch all = AeTestSupport.all(corpus);
            AeDiagnostics d = AutoencoderDiagnostics.run(ae, List.of(all, all), new double[] {0, 100}, 0.5, 1);
            assertThat(d.chunks()).isEqualTo(64);
            assertThat(d.tokens()).isEqualTo(256);
            // from the mean: the same number evalMetrics reports; noise 0 is the mean again
            assertThat(d.accuracyFromMean()).isCloseTo(ae.evalMetrics(m, all).get("accuracy"), within(1e-12));
            assertThat(d.robustness().get(0).accuracy()).isCloseTo(d.accuracyFromMean(), within(1e-12));
            // noise of std 100 swamps any code: accuracy falls far below
            assertThat(d.robustness().get(1).accuracy()).isLessThan(d.accuracyFromMean());
            // KL per dimension and sigma recomputed by hand from the posterior
            NDArray ids = ae.batchIds(m, all);
            var st = ae.encode(m, ids);
            float[] mean = st.get(0).toFloatArray();
            float[] sigma = st.get(1).toFloatArray();
            int l = ae.latentDim();
            double[] kl = new double[l];
            double sigmaSum = 0;
            for (int i = 0; i < mean.length; i++) {
                kl[i % l] += (0.5 * (mean[i] * mean[i] + sigma[i] * sigma[i] - 1) - Math.log(sigma[i])) / 32;
                sigmaSum += sigma[i];
            }
            for (int i = 0; i < l; i++) {
                assertThat(d.meanKlPerDim()[i]).isCloseTo(kl[i], within(1e-4));
            }
            assertThat(d.meanSigma()).isCloseTo(sigmaSum / mean.length, within(1e-5));
            assertThat(d.collapsedDims()).isEqualTo((int) Arrays.stream(kl).filter(v -> v < 0.5).count());
            assertThat(d.summary()).contains("from sampled z").contains("collapsed dims");
        }
    }

    @Test
    void collapsedDimensionsAreCounted() {
        // a hand-made posterior: the AE's encoder is bypassed by checking the counting rule on klPerDim
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray mean = m.create(new float[] {0f, 2f, 0f, 2f}, new Shape(2, 2));
            NDArray logSigma = m.zeros(new Shape(2, 2));
            float[] kl = VariationalObjective.klPerDim(mean, logSigma).mean(new int[] {0}).toFloatArray();
            assertThat(kl[0]).isEqualTo(0f);   // the prior: collapsed
            assertThat(kl[1]).isEqualTo(2f);   // 0.5 * 4: in use
        }
    }

    @Test
    void badArgumentsAreRejected() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 32)) {
            assertThatThrownBy(() -> AutoencoderDiagnostics.run(ae, List.of(), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no held-out batches");
            TrainBatch b = AeTestSupport.all(AeTestSupport.corpus(4, 4, 26, 1));
            assertThatThrownBy(() -> AutoencoderDiagnostics.run(ae, List.of(b), new double[] {-1}, 0.5, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise std -1.0");
        }
    }
}
