package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChunkAutoencoderTest {

    @Test
    void shapesForEveryChunkSize() {
        for (int k : new int[] {1, 2, 4, 8}) {
            AutoencoderConfig c = AutoencoderConfig.tiny().withChunkSize(k).withLatentDim(3 + k);
            try (ChunkAutoencoder ae = ChunkAutoencoder.create(c, Tokenizers.bytes(), 1);
                 NDManager m = TorchRuntime.engine().newBaseManager()) {
                NDArray ids = m.randomInteger(0, 260, new Shape(5, k), ai.djl.ndarray.types.DataType.INT64);
                NDList st = ae.encode(m, ids);
                assertThat(st.get(0).getShape()).isEqualTo(new Shape(5, 3 + k));
                assertThat(st.get(1).getShape()).isEqualTo(new Shape(5, 3 + k));
                assertThat(st.get(1).min().getFloat()).isPositive();
                assertThat(ae.logits(m, st.get(0)).getShape()).isEqualTo(new Shape(5, k, 260));
                assertThat(ae.decode(m, st.get(0)).getShape()).isEqualTo(new Shape(5, k));
                TrainBatch b = AeTestSupport.randomChunks(new Random(1), 3, k, 10);
                assertThat(ae.loss(m, b, true).getShape()).isEqualTo(new Shape());
                assertThat(ae.loss(m, b, false).getFloat()).isFinite().isPositive();
            }
        }
    }

    @Test
    void embeddingAndOutputMatrixAreOneParameter() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 2);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            long vd = 260L * 64;
            long withVd = ae.net().getParameters().values().stream()
                    .filter(p -> p.getArray().getShape().size() == vd).count();
            assertThat(withVd).isEqualTo(1);
            // the logits move when only the embedding rows change: it is the output matrix too
            NDArray z = m.randomNormal(new Shape(2, 16));
            float[] before = ae.logits(m, z).toFloatArray();
            ae.net().embedding().getArray().addi(0.5f);
            float[] after = ae.logits(m, z).toFloatArray();
            assertThat(after).isNotEqualTo(before);
            // and it receives gradient from both ends: a count check of parameters + analytic size
            AutoencoderConfig c = ae.config();
            long perLayer = c.dim() + 3L * c.dim() * c.inner();
            long expected = vd + 4 * perLayer                                   // embedding + 4 AeLayers
                    + (4L * c.dim() * c.dim() + c.dim())                         // merge
                    + 2 * c.dim()                                                // two RMSNorms
                    + (c.dim() * 2L * c.latentDim() + 2L * c.latentDim())       // to latent
                    + (c.latentDim() * (long) c.dim() + c.dim())                 // from latent
                    + (c.dim() * 4L * c.dim() + 4L * c.dim());                   // expand
            assertThat(ae.parameterCount()).isEqualTo(expected);
        }
    }

    @Test
    void evalIsDeterministicAndTrainingIsNoisy() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 3);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            TrainBatch b = AeTestSupport.randomChunks(new Random(3), 64, 4, 26);
            float e1 = ae.loss(m, b, false).getFloat();
            float e2 = ae.loss(m, b, false).getFloat();
            float t1 = ae.loss(m, b, true).getFloat();
            float t2 = ae.loss(m, b, true).getFloat();
            assertThat(e1).isEqualTo(e2);
            assertThat(t1).isNotEqualTo(t2);
        }
    }

    @Test
    void evaluationLossIsTheCleanObjectiveFromTheMean() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 8);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            TrainBatch b = AeTestSupport.randomChunks(new Random(8), 16, 4, 26);
            NDArray ids = ae.batchIds(m, b);
            NDList st = ae.encode(m, ids); // no DropToken: the clean ids
            NDArray mean = st.get(0);
            NDArray logSigma = st.get(1).log();
            double ce = VariationalObjective.crossEntropy(ae.logits(m, mean), ids).getFloat(); // z = mean, no DropLatent
            double kl = VariationalObjective.klClipped(VariationalObjective.klPerDim(mean, logSigma), 0.5).getFloat();
            assertThat((double) ae.loss(m, b, false).getFloat()).isCloseTo(4 * ce + 1e-3 * kl, within(1e-4));
            // in training the input is masked and z noisy: the loss is another number
            assertThat((double) ae.loss(m, b, true).getFloat()).isNotCloseTo(4 * ce + 1e-3 * kl, within(1e-3));
        }
    }

    @Test
    void lossDoesNotLeakIntoTheModelManager() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 4);
             NDManager root = TorchRuntime.engine().newBaseManager()) {
            TrainBatch b = AeTestSupport.randomChunks(new Random(4), 8, 4, 26);
            NDManager own = ae.net().embedding().getArray().getManager();
            int before = own.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                try (NDManager m = root.newSubManager()) {
                    ae.loss(m, b, true);
                    ae.evalMetrics(m, b);
                    ae.encode(m, m.create(new long[] {1, 2, 3, 4}, new Shape(1, 4)));
                }
            }
            assertThat(own.getManagedArrays().size()).isEqualTo(before);
        }
    }

    @Test
    void frozenAutoencoderGivesNoGradients() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 5);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            ae.freeze();
            assertThat(ae.isFrozen()).isTrue();
            assertThat(ae.net().getParameters().values()).noneMatch(Parameter::requiresGradient);
            NDArray x = m.randomNormal(new Shape(3, 16));
            x.setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                // the LM's situation: gradient flows through the frozen decoder to its input only
                gc.backward(ae.logits(m, x).sum());
            }
            assertThat(x.getGradient().abs().sum().getFloat()).isPositive();
            ae.unfreeze();
            assertThat(ae.net().getParameters().values()).allMatch(Parameter::requiresGradient);
        }
    }

    @Test
    void tinyAutoencoderStartsLearningQuickly() {
        TorchRuntime.seed(7);
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 7);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            int[][] corpus = AeTestSupport.corpus(32, 4, 26, 3);
            TrainBatch all = AeTestSupport.all(corpus);
            double before = ae.evalMetrics(m, all).get("accuracy");
            float last = AeTestSupport.train(ae, 60, 32, corpus, 3e-3f, 7);
            double after = ae.evalMetrics(m, all).get("accuracy");
            assertThat(before).isLessThan(0.15); // about chance (1/26)
            assertThat(after).as("accuracy after 60 steps (last training loss %s)", last).isGreaterThan(0.3);
        }
    }

    @Test
    @Tag("slow")
    void tinyAutoencoderLearnsSyntheticChunks() {
        TorchRuntime.seed(7);
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 7);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            long t0 = System.nanoTime();
            int[][] corpus = AeTestSupport.corpus(64, 4, 26, 3);
            float last = AeTestSupport.train(ae, 500, 64, corpus, 3e-3f, 7);
            double secs = (System.nanoTime() - t0) / 1e9;
            double acc = ae.evalMetrics(m, AeTestSupport.all(corpus)).get("accuracy");
            System.out.printf("tiny AE: %.1f s, last loss %.3f, corpus accuracy %.4f, eval loss %.3f, decoded %s%n", secs, last, acc,
                    ae.loss(m, AeTestSupport.all(corpus), false).getFloat(),
                    java.util.Arrays.toString(ae.decodeIds(ae.encodeText("abcd"))[0]));
            assertThat(acc).isGreaterThanOrEqualTo(0.99);
        }
    }
}
