package org.calmnest.lib.nested;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainableModel;
import org.calmnest.lib.train.Trainer;
import org.calmnest.lib.train.optim.Momentum;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ContinuumMemoryTest {

    static final BackboneConfig TINY = new BackboneConfig(8, 1, 2, 8, 8, 10000);

    /** A fixed cycle of random batches (B = 2, 7 ids per row). */
    static BatchSource batches(int vocab, long seed) {
        Random r = new Random(seed);
        List<TrainBatch> list = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] ids = new int[14];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = 1 + r.nextInt(vocab - 1);
            }
            list.add(new TrainBatch(ids, 2, 7, 14, 14));
        }
        return new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long s) {
                return new Iterator<>() {
                    int i;

                    public boolean hasNext() {
                        return true;
                    }

                    public TrainBatch next() {
                        return list.get(i++ % list.size());
                    }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                return list.subList(0, 2);
            }
        };
    }

    /** The model with every group's optimiser replaced by plain SGD (Momentum with a = 0). */
    record Sgd(NestedLm inner) implements TrainableModel {
        public String name() { return inner.name(); }
        public Block block() { return inner.block(); }
        public List<ParameterGroup> parameterGroups() {
            return inner.parameterGroups().stream()
                    .map(g -> new ParameterGroup(g.name(), g.params(), g.period(), g.lrScale(), new Momentum(0.0))).toList();
        }
        public NDArray loss(NDManager m, TrainBatch b, boolean t) { return inner.loss(m, b, t); }
        public double trainingFlops(TrainBatch b) { return inner.trainingFlops(b); }
        public String configJson() { return inner.configJson(); }
    }

    private static TrainConfig sgd(long steps, double lr) {
        return TrainConfig.defaults(steps).withWarmupSteps(0).withLearningRate(lr).withGradClip(0).withWeightDecay(0);
    }

    @Test
    void slowLevelChangesOnlyAtItsPeriodBySummedGradientStep() {
        NestedLmConfig cfg = new NestedLmConfig(16, 0, TINY, NestedLmConfig.Mixer.ATTENTION, CmsConfig.of(4, 1, 3), true, null);
        double lr = 0.1;
        BatchSource data = batches(16, 1);
        Iterator<TrainBatch> stream = data.train(0);
        try (NestedLm lm = new NestedLm(cfg, 5, DataType.FLOAT32); Trainer trainer = new Trainer(new Sgd(lm), sgd(1, lr))) {
            List<Parameter> slow = lm.parameterGroups().get(1).params();
            List<Parameter> fast = lm.parameterGroups().get(0).params();
            assertThat(lm.parameterGroups().get(1).period()).isEqualTo(3);
            Engine engine = TorchRuntime.engine();
            double[][] start = snapshot(slow);
            double[][] gradSum = new double[slow.size()][];
            for (int s = 1; s <= 6; s++) {
                TrainBatch b = stream.next();
                try (NDManager sub = lm.block().getParameters().get(0).getValue().getArray().getManager().newSubManager();
                     GradientCollector gc = engine.newGradientCollector()) {       // the gradient at the current (frozen) slow level
                    gc.backward(lm.loss(sub, b, true));
                }
                for (int i = 0; i < slow.size(); i++) {
                    double[] g = slow.get(i).getArray().getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                    gradSum[i] = gradSum[i] == null ? g : add(gradSum[i], g);
                }
                TorchRuntime.noGrad();                  // zero in place outside autograd, as the trainer does
                for (Parameter p : lm.block().getParameters().values()) {
                    p.getArray().getGradient().muli(0);
                }
                double[][] fastBefore = snapshot(fast);
                trainer.setConfig(sgd(s, lr));
                trainer.run(data, List.of(), null);
                assertThat(snapshot(fast)[0]).as("fast level moves every step").isNotEqualTo(fastBefore[0]);
                double[][] now = snapshot(slow);
                for (int i = 0; i < slow.size(); i++) {
                    if (s % 3 != 0) {
                        assertThat(now[i]).as("slow level frozen at step " + s).containsExactly(start[i], within(0.0));
                    } else {
                        double[] want = start[i].clone();
                        for (int j = 0; j < want.length; j++) {
                            want[j] -= lr * gradSum[i][j];        // theta <- theta - eta * sum of the period's gradients
                        }
                        assertThat(now[i]).as("slow level after step " + s).containsExactly(want, within(1e-6));
                        assertThat(now[i]).isNotEqualTo(start[i]);
                    }
                }
                if (s % 3 == 0) {
                    start = snapshot(slow);
                    gradSum = new double[slow.size()][];
                }
            }
        }
    }

    @Test
    void allPeriodsOneEqualsTransformerK() {
        CmsConfig cms = CmsConfig.of(4, 1, 1, 1);
        NestedLmConfig grouped = new NestedLmConfig(16, 0, TINY, NestedLmConfig.Mixer.ATTENTION, cms, true, null);
        NestedLmConfig oneGroup = new NestedLmConfig(16, 0, TINY, NestedLmConfig.Mixer.ATTENTION, cms, false, null);
        TrainConfig tc = TrainConfig.defaults(4).withWarmupSteps(0).withLearningRate(1e-2).withGradClip(0);
        List<Double> a = losses(grouped, tc);
        List<Double> b = losses(oneGroup, tc);
        assertThat(a).hasSize(4).isEqualTo(b);
        List<Double> nested = losses(new NestedLmConfig(16, 0, TINY, NestedLmConfig.Mixer.ATTENTION, CmsConfig.of(4, 1, 2, 4), true, null), tc);
        assertThat(nested.get(0)).isEqualTo(a.get(0));          // same initial model
        assertThat(nested).isNotEqualTo(a);                      // periods > 1 change the trajectory
    }

    private static List<Double> losses(NestedLmConfig cfg, TrainConfig tc) {
        try (NestedLm lm = new NestedLm(cfg, 3, DataType.FLOAT32); Trainer t = new Trainer(lm, tc)) {
            return t.run(batches(16, 2), List.of(), null).steps().stream().map(StepRecord::loss).toList();
        }
    }

    @Test
    void levelsPartitionTheParametersAndEvalMetricsAreSane() {
        NestedLmConfig cfg = new NestedLmConfig(16, 0, TINY, NestedLmConfig.Mixer.ATTENTION, CmsConfig.of(4, 1, 8, 64), true, null);
        try (NestedLm lm = new NestedLm(cfg, 1)) {
            List<ParameterGroup> g = lm.parameterGroups();
            assertThat(g).extracting(ParameterGroup::period).containsExactly(1, 8, 64);
            long total = g.stream().mapToLong(x -> x.params().size()).sum();
            assertThat(total).isEqualTo(lm.block().getParameters().size());
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                Map<String, Double> metrics = lm.evalMetrics(m, batches(16, 3).validation().get(0));
                assertThat(metrics.get("accuracy")).isBetween(0.0, 1.0);
                assertThat(metrics.get("bitsPerByte")).isCloseTo(Math.log(16) / Math.log(2), within(1.0)); // untrained ~ uniform
            }
        }
    }

    @Test
    void rejectsBadLevels() {
        assertThatThrownBy(() -> CmsConfig.of(4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("periods is empty");
        assertThatThrownBy(() -> CmsConfig.of(4, 1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("periods[1] = 0");
        assertThatThrownBy(() -> new CmsConfig(4, new int[]{1, 8}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lrScales has 1 entries but there are 2 levels");
        assertThatThrownBy(() -> new CmsConfig(4, new int[]{1}, new double[]{-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lrScales[0]");
        assertThat(CmsConfig.of(4, 1, 8).lrMatched().lrScales()).containsExactly(1.0, 0.125);
    }

    private static double[][] snapshot(List<Parameter> ps) {
        double[][] out = new double[ps.size()][];
        for (int i = 0; i < ps.size(); i++) {
            out[i] = ps.get(i).getArray().toType(DataType.FLOAT64, false).toDoubleArray();
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        double[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }
}
