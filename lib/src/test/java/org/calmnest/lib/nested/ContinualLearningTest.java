package org.calmnest.lib.nested;

import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import org.calmnest.lib.eval.ForgettingMatrix;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ContinualLearningTest {

    private static final BackboneConfig TINY = ContinuumMemoryTest.TINY;

    /** Counts the training batches a source hands out. */
    private static BatchSource counting(BatchSource inner, AtomicInteger served) {
        return new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long seed) {
                Iterator<TrainBatch> it = inner.train(seed);
                return new Iterator<>() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public TrainBatch next() {
                        served.incrementAndGet();
                        return it.next();
                    }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                return inner.validation();
            }
        };
    }

    @Test
    void harnessFillsRAndCurvesAndNeverRevisitsEarlierTasks() {
        AtomicInteger servedA = new AtomicInteger();
        AtomicInteger servedB = new AtomicInteger();
        List<ContinualTask> tasks = List.of(
                new ContinualTask("A", counting(ContinuumMemoryTest.batches(16, 1), servedA)),
                new ContinualTask("B", counting(ContinuumMemoryTest.batches(16, 2), servedB)));
        NestedLmConfig cfg = HopeModel.arm("cms", 16, 0, TINY, new int[]{1, 2}, null);
        TrainConfig tc = TrainConfig.defaults(1).withWarmupSteps(0).withLearningRate(1e-2);
        ContinualLearning.Result r;
        int afterA;
        try (NestedLm lm = new NestedLm(cfg, 1)) {
            r = ContinualLearning.run(lm, tasks, new ContinualLearning.Config(2, 1, tc));
        }
        afterA = servedA.get();
        assertThat(afterA).isEqualTo(2);                         // A served exactly its 2 steps, none during B
        assertThat(servedB.get()).isGreaterThanOrEqualTo(2);    // B: its 2 steps (plus skipped resume batches)
        assertThat(r.tasks()).containsExactly("A", "B");
        // baseline (2) + mid-task (2) + after-task (2), for each of the 2 tasks
        assertThat(r.curve()).hasSize(10);
        assertThat(r.curve().get(0).step()).isZero();
        assertThat(r.curve().get(0).bitsPerByte()).isEqualTo(r.baselineBpb()[0]);
        ContinualLearning.Point afterTaskA = r.curve().get(4);
        assertThat(afterTaskA.step()).isEqualTo(2);
        assertThat(afterTaskA.bitsPerByte()).isEqualTo(r.bitsPerByte()[0][0]);
        ForgettingMatrix m = r.bitsPerByteMatrix();
        assertThat(m.forgetting(0, 1)).isCloseTo(r.bitsPerByte()[1][0] - r.bitsPerByte()[0][0], within(1e-12));
        assertThat(r.tokensPerSecond()).isPositive();
    }

    @Test
    void onlineModeUpdatesTheSlowLevelOnlyAtItsPeriod() {
        NestedLmConfig cfg = HopeModel.arm("cms", 16, 0, TINY, new int[]{1, 3}, null);
        TrainConfig tc = TrainConfig.defaults(1).withWarmupSteps(0).withLearningRate(1e-2);
        try (NestedLm lm = new NestedLm(cfg, 2)) {
            Parameter slow = lm.parameterGroups().get(1).params().get(1);
            double[] before = slow.getArray().toType(DataType.FLOAT64, false).toDoubleArray();
            OnlineAdaptation.Result two = OnlineAdaptation.stream(lm, ContinuumMemoryTest.batches(16, 4), 2, tc);
            assertThat(two.prequentialLoss()).hasSize(2);
            assertThat(slow.getArray().toType(DataType.FLOAT64, false).toDoubleArray()).containsExactly(before, within(0.0));
            OnlineAdaptation.stream(lm, ContinuumMemoryTest.batches(16, 4), 3, tc);
            assertThat(slow.getArray().toType(DataType.FLOAT64, false).toDoubleArray()).isNotEqualTo(before);
        }
        try (NestedLm plain = new NestedLm(HopeModel.arm("transformer", 16, 0, TINY, new int[]{1, 3}, null), 2)) {
            assertThatThrownBy(() -> OnlineAdaptation.stream(plain, ContinuumMemoryTest.batches(16, 4), 2, tc))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CMS level groups");
        }
    }

    @Test
    void armsHaveMatchedParameterCounts() {
        BackboneConfig bb = new BackboneConfig(64, 2, 4, 192, 32, 10000);
        int m = HopeModel.matchedMemoryWidth(bb, 4, 4);
        HopeConfig hope = new HopeConfig(4, m, 16, 1.0 / 16, 4);
        long ref;
        try (NestedLm t = new NestedLm(HopeModel.arm("transformer", 260, 256, bb, new int[]{1, 4, 16}, hope), 1)) {
            ref = t.parameterCount();
        }
        for (String arm : HopeModel.ARMS) {
            try (NestedLm lm = new NestedLm(HopeModel.arm(arm, 260, 256, bb, new int[]{1, 4, 16}, hope), 1)) {
                assertThat((double) lm.parameterCount() / ref).as(arm).isCloseTo(1.0, within(0.01));
            }
        }
        assertThatThrownBy(() -> HopeModel.arm("mamba", 260, 256, bb, new int[]{1}, hope))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown arm");
        assertThatThrownBy(() -> HopeModel.arm("cms", 260, 256, bb, new int[]{1, 4, 16, 64, 128}, hope))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not divisible");
    }

    @Test
    void hopeModelLearnsARepeatedBatch() {
        HopeConfig hope = new HopeConfig(2, 3, 2, 0.5, 2);
        NestedLmConfig cfg = HopeModel.arm("hope", 16, 0, TINY, new int[]{1, 2}, hope);
        BatchSource one = ContinuumMemoryTest.batches(16, 5);
        TrainBatch b = one.validation().get(0);
        BatchSource repeated = new BatchSource() {
            public Iterator<TrainBatch> train(long seed) {
                return java.util.stream.Stream.generate(() -> b).iterator();
            }

            public List<TrainBatch> validation() {
                return List.of(b);
            }
        };
        try (NestedLm lm = new NestedLm(cfg, 3);
             org.calmnest.lib.train.Trainer t = new org.calmnest.lib.train.Trainer(lm, TrainConfig.defaults(10).withWarmupSteps(0).withLearningRate(3e-2))) {
            var steps = t.run(repeated, List.of(), null).steps();
            assertThat(steps.get(9).loss()).isLessThan(steps.get(0).loss() * 0.9);
        }
    }

    @Test
    void rejectsOneTaskAndTooSmallCorpus() {
        BatchSource empty = new BatchSource() {
            public Iterator<TrainBatch> train(long seed) {
                return ContinuumMemoryTest.batches(16, 1).train(seed);
            }

            public List<TrainBatch> validation() {
                return List.of();
            }
        };
        assertThatThrownBy(() -> new ContinualTask("tiny", empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small for its split");
        ContinualTask one = new ContinualTask("A", ContinuumMemoryTest.batches(16, 1));
        try (NestedLm lm = new NestedLm(HopeModel.arm("transformer", 16, 0, TINY, new int[]{1}, null), 1)) {
            assertThatThrownBy(() -> ContinualLearning.run(lm, List.of(one), new ContinualLearning.Config(2, 0, TrainConfig.defaults(1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 tasks");
        }
        assertThatThrownBy(() -> new ContinualLearning.Config(0, 0, TrainConfig.defaults(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepsPerTask = 0");
    }

    @Test
    void pairedBootstrapKnownAnswers() {
        double[] b = {1.0, 2.0, 3.0, 4.0};
        double[] a = {1.5, 2.5, 3.5, 4.5};
        PairedBootstrap.Interval i = PairedBootstrap.of(a, b, 1000, 1);
        assertThat(i.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(i.lo()).isCloseTo(0.5, within(1e-12));       // constant differences: no spread
        assertThat(i.hi()).isCloseTo(0.5, within(1e-12));
        assertThat(i.relative()).isCloseTo(12.0 / 10.0 - 1, within(1e-12));
        PairedBootstrap.Interval noisy = PairedBootstrap.of(new double[]{0, 1, 0, 1}, new double[]{0.5, 0.5, 0.5, 0.5}, 2000, 2);
        assertThat(noisy.lo()).isLessThan(0).isGreaterThanOrEqualTo(-0.5);
        assertThat(noisy.hi()).isGreaterThan(0).isLessThanOrEqualTo(0.5);
        assertThatThrownBy(() -> PairedBootstrap.of(new double[]{1}, new double[]{1}, 1000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 seeds");
    }
}
