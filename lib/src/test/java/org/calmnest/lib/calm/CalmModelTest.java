package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CalmModelTest {

    static final int V = 12;

    /** Rows of a periodic id sequence 0 1 2 ... 9 0 1 ..., starting at random offsets. */
    static BatchSource periodic(int rows, int cols, int period) {
        return new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long seed) {
                Random r = new Random(seed);
                return new Iterator<>() {
                    public boolean hasNext() { return true; }
                    public TrainBatch next() { return batch(r, rows, cols, period); }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                return List.of(batch(new Random(99), rows, cols, period));
            }
        };
    }

    static TrainBatch batch(Random r, int rows, int cols, int period) {
        int[] ids = new int[rows * cols];
        for (int i = 0; i < rows; i++) {
            int off = r.nextInt(period);
            for (int j = 0; j < cols; j++) {
                ids[i * cols + j] = (off + j) % period;
            }
        }
        return new TrainBatch(ids, rows, cols, ids.length, ids.length);
    }

    @Test
    void everyChunkSizeRunsWithAFiniteLossAndPositiveFlops() {
        for (int k : new int[] {1, 2, 4, 8}) {
            try (TableCodec codec = new TableCodec(k, 4, V, 0.3f, 1);
                 CalmModel model = CalmModel.create(CalmConfig.tiny(k, 4 * k, V), codec, 5);
                 NDManager m = TorchRuntime.engine().newBaseManager()) {
                TrainBatch b = batch(new Random(1), 2, 4 * k, 10);
                float loss = model.loss(m, b, true).getFloat();
                assertThat(loss).as("K=%d", k).isFinite().isPositive();
                assertThat(model.trainingFlops(b)).isGreaterThan(0);
                assertThat(model.inferenceFlopsPerToken(2, 3)).isGreaterThan(0);
            }
        }
    }

    @Test
    void aFewStepsOnOneBatchLowerItsLoss() {
        try (TableCodec codec = new TableCodec(2, 4, V, 0.2f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(2, 8, V), codec, 7)) {
            TrainBatch b = batch(new Random(3), 4, 16, 10);
            BatchSource same = new BatchSource() {
                public Iterator<TrainBatch> train(long seed) { return java.util.stream.Stream.generate(() -> b).iterator(); }
                public List<TrainBatch> validation() { return List.of(); }
            };
            double before = seededLoss(model, b);
            try (Trainer t = new Trainer(model, TrainConfig.defaults(4).withLearningRate(3e-3).withWarmupSteps(0))) {
                t.run(same, List.of(), null);
            }
            assertThat(seededLoss(model, b)).isLessThan(before);
        }
    }

    /** Loss with fixed noise (head and posterior samples), so two calls are comparable. */
    static double seededLoss(CalmModel model, TrainBatch b) {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TorchRuntime.seed(11);
            return model.loss(m, b, false).getFloat();
        }
    }

    @Test
    @Tag("slow")
    void learnsAPeriodicSequence() {
        try (TableCodec codec = new TableCodec(2, 4, V, 0.2f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(2, 8, V), codec, 7)) {
            BatchSource data = periodic(8, 16, 10);
            double before;
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                TorchRuntime.seed(11);
                before = model.loss(m, data.validation().get(0), false).getFloat();
            }
            try (Trainer t = new Trainer(model, TrainConfig.defaults(150).withLearningRate(3e-3).withWarmupSteps(10))) {
                t.run(data, List.of(), null);
            }
            double after;
            Map<String, Double> metrics;
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                TorchRuntime.seed(11);
                after = model.loss(m, data.validation().get(0), false).getFloat();
                metrics = model.evalMetrics(m, data.validation().get(0));
            }
            assertThat(after).isLessThan(before * 0.5);
            // the next chunk of a periodic sequence is determined: decoded samples must mostly hit it
            assertThat(metrics.get("sampleTokenAccuracy")).isGreaterThan(0.9);
        }
    }

    @Test
    void flopsGrowWithTheBatchAndShrinkPerTokenWithK() {
        try (TableCodec c2 = new TableCodec(2, 4, V, 0.3f, 1); TableCodec c4 = new TableCodec(4, 4, V, 0.3f, 1);
             CalmModel m2 = CalmModel.create(CalmConfig.tiny(2, 8, V), c2, 1);
             CalmModel m4 = CalmModel.create(CalmConfig.tiny(4, 16, V), c4, 1)) {
            TrainBatch b = batch(new Random(1), 2, 16, 10);
            TrainBatch b2 = batch(new Random(1), 4, 16, 10);
            assertThat(m2.trainingFlops(b2)).isEqualTo(2 * m2.trainingFlops(b));
            assertThat(m4.trainingFlops(b)).isLessThan(m2.trainingFlops(b));
        }
    }

    @Test
    void rejectsAnAutoencoderOfAnotherChunkSizeOrVocabulary() {
        try (TableCodec codec = new TableCodec(4, 4, V, 0.3f, 1)) {
            assertThatThrownBy(() -> CalmModel.create(CalmConfig.tiny(2, 16, V), codec, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chunk size K = 4").hasMessageContaining("chunkSize = 2");
            assertThatThrownBy(() -> CalmModel.create(CalmConfig.tiny(4, 16, 300), codec, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vocabulary V = 12").hasMessageContaining("vocabSize = 300");
        }
    }

    @Test
    void rejectsRowsThatAreNotWholeChunks() {
        try (TableCodec codec = new TableCodec(4, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(4, 16, V), codec, 1);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            TrainBatch b = batch(new Random(1), 2, 10, 10);
            assertThatThrownBy(() -> model.loss(m, b, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("multiple of K = 4");
        }
    }
}
