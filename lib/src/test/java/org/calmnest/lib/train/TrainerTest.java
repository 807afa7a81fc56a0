package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {

    private static TrainConfig config(long steps) {
        return TrainConfig.defaults(steps).withLearningRate(0.05).withWarmupSteps(2).withSeed(11);
    }

    @Test
    void lossFallsAndAccuracyRisesOnATinyProblem() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 1, 1);
            try (Trainer t = new Trainer(model, config(60))) {
                Trainer.Result r = t.run(TinyClassifier.data(), List.of(), null);
                assertThat(r.steps()).hasSize(60);
                assertThat(r.lastLoss()).isLessThan(r.steps().get(0).loss() / 4);
                assertThat(r.evals()).isNotEmpty();
                assertThat(r.evals().get(r.evals().size() - 1).metrics().get("accuracy")).isEqualTo(1.0);
                StepRecord last = r.steps().get(59);
                assertThat(last.tokens()).isEqualTo(60 * 32);
                assertThat(last.flops()).isEqualTo(60 * 6.0 * 16 * 256);
                assertThat(last.lr()).isEqualTo(0.05);
                assertThat(r.steps().get(0).lr()).isEqualTo(0.025);
            }
        }
    }

    @Test
    void cancellingStopsWithinOneStepAndTheModelStaysUsable() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 1, 1);
            CancellationToken token = new CancellationToken();
            TrainListener canceller = new TrainListener() {
                @Override
                public void onStep(StepRecord r) {
                    if (r.step() == 5) {
                        token.cancel();
                    }
                }
            };
            try (Trainer t = new Trainer(model, config(1000))) {
                Trainer.Result r = t.run(TinyClassifier.data(), List.of(canceller), token);
                assertThat(r.cancelled()).isTrue();
                assertThat(r.finalStep()).isEqualTo(5);
                EvalRecord e = t.evaluate(TinyClassifier.data());
                assertThat(e.loss()).isFinite();
                token.reset();
                t.setConfig(config(8));
                Trainer.Result more = t.run(TinyClassifier.data(), List.of(), token);
                assertThat(more.finalStep()).isEqualTo(8);
                assertThat(more.steps()).hasSize(3);
            }
        }
    }

    @Test
    void resumingFromACheckpointRepeatsTheUninterruptedRun(@TempDir Path dir) {
        double[] straight;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 3, 2);
            try (Trainer t = new Trainer(model, config(12))) {
                straight = t.run(TinyClassifier.data(), List.of(), null).steps().stream().mapToDouble(StepRecord::loss).toArray();
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {         // continuing in the same trainer
            TinyClassifier model = new TinyClassifier(m, 3, 2);
            BatchSource data = TinyClassifier.data();
            try (Trainer t = new Trainer(model, config(7))) {
                double[] a = t.run(data, List.of(), null).steps().stream().mapToDouble(StepRecord::loss).toArray();
                t.setConfig(config(12));
                double[] b = t.run(data, List.of(), null).steps().stream().mapToDouble(StepRecord::loss).toArray();
                assertThat(a).containsExactly(java.util.Arrays.copyOf(straight, 7));
                assertThat(b).containsExactly(java.util.Arrays.copyOfRange(straight, 7, 12));
            }
        }
        Path ckpt = dir.resolve("run.ckpt");
        double[] firstHalf;
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 3, 2);
            try (Trainer t = new Trainer(model, config(7))) {       // odd: stops mid-period of the slow group
                firstHalf = t.run(TinyClassifier.data(), List.of(), null).steps().stream().mapToDouble(StepRecord::loss).toArray();
                t.saveCheckpoint(ckpt);
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 99, 2);    // different init: the checkpoint must overwrite it
            try (Trainer t = new Trainer(model, config(12))) {
                t.loadCheckpoint(ckpt);
                assertThat(t.step()).isEqualTo(7);
                double[] rest = t.run(TinyClassifier.data(), List.of(), null).steps().stream().mapToDouble(StepRecord::loss).toArray();
                assertThat(firstHalf).containsExactly(java.util.Arrays.copyOf(straight, 7));
                assertThat(rest).containsExactly(java.util.Arrays.copyOfRange(straight, 7, 12));
            }
        }
    }

    @Test
    void aSlowGroupChangesOnlyAtTheEndOfItsPeriodByTheSummedGradientStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 5, 3);
            ParameterGroup slow = model.parameterGroups().get(1);
            RecordingSgd sgd = new RecordingSgd();
            ParameterGroup slowSgd = new ParameterGroup("second", slow.params(), 3, 1.0, sgd);
            TrainableModel wrapped = new DelegatingModel(model, List.of(model.parameterGroups().get(0), slowSgd));
            TrainConfig c = config(6).withGradClip(0).withWarmupSteps(0);
            try (Trainer t = new Trainer(wrapped, c)) {
                NDArray w = slow.params().get(0).getArray();
                float[] before = w.toFloatArray();
                t.setConfig(c.withSteps(2));
                t.run(TinyClassifier.data(), List.of(), null);
                assertThat(w.toFloatArray()).containsExactly(before);      // frozen within the period
                t.setConfig(c.withSteps(3));
                t.run(TinyClassifier.data(), List.of(), null);
                float[] after = w.toFloatArray();
                float[] summed = sgd.lastGrad.get(slow.params().get(0).getArray().getShape().toString());
                for (int i = 0; i < before.length; i++) {
                    assertThat(after[i]).isCloseTo(before[i] - 0.05f * summed[i], org.assertj.core.data.Offset.offset(1e-6f));
                }
                assertThat(sgd.updates).isEqualTo(2);                      // weight and bias, once
            }
        }
    }

    @Test
    void trainsOnAFreshThreadWhereAutogradStartsSwitchedOn() throws Exception {
        // JShell and kernel cells run on threads other than the one that loaded the engine
        java.util.concurrent.atomic.AtomicReference<Object> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                TinyClassifier model = new TinyClassifier(m, 1, 2);
                try (Trainer tr = new Trainer(model, config(4))) {
                    outcome.set(tr.run(TinyClassifier.data(), List.of(), null).finalStep());
                }
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.start();
        t.join();
        assertThat(outcome.get()).isEqualTo(4L);
    }

    @Test
    void trainsAFloat64Model() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 1, 1, ai.djl.ndarray.types.DataType.FLOAT64);
            try (Trainer t = new Trainer(model, config(30))) {
                Trainer.Result r = t.run(TinyClassifier.data(), List.of(), null);
                assertThat(r.lastLoss()).isLessThan(r.steps().get(0).loss() / 2);
                assertThat(r.evals().get(0).loss()).isFinite();
            }
        }
    }

    @Test
    void aStepWithANonFiniteGradientIsSkippedAndTrainingRecovers() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 1, 1);
            TrainableModel once = new TrainableModel() {
                int calls;

                public String name() {
                    return model.name();
                }

                public ai.djl.nn.Block block() {
                    return model.block();
                }

                public List<ParameterGroup> parameterGroups() {
                    return model.parameterGroups();
                }

                public NDArray loss(NDManager mm, TrainBatch b, boolean training) {
                    NDArray l = model.loss(mm, b, training);
                    return training && ++calls == 2 ? l.mul(Float.NaN) : l;   // step 2 back-propagates NaN
                }

                public double trainingFlops(TrainBatch b) {
                    return model.trainingFlops(b);
                }

                public String configJson() {
                    return model.configJson();
                }
            };
            try (Trainer t = new Trainer(once, config(40))) {
                Trainer.Result r = t.run(TinyClassifier.data(), List.of(), null);
                assertThat(r.steps().get(1).gradNorm()).isNaN();
                assertThat(r.steps().get(2).gradNorm()).isFinite();            // the NaN gradient was cleared
                assertThat(r.lastLoss()).isFinite().isLessThan(r.steps().get(0).loss() / 2);
            }
        }
    }

    @Test
    void badConfigurationsNameTheFieldAndTheFix() {
        assertThatThrownBy(() -> TrainConfig.defaults(0)).hasMessageContaining("maxSteps").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> TrainConfig.defaults(5).withSchedule("linear")).hasMessageContaining("schedule").hasMessageContaining("cosine");
        assertThatThrownBy(() -> TrainConfig.defaults(5).withAccumulation(0)).hasMessageContaining("accumulation");
        assertThatThrownBy(() -> new ParameterGroup("g", List.of(), 0, 1, null)).hasMessageContaining("period").hasMessageContaining(">= 1");
    }

    @Test
    void cosineScheduleWarmsUpThenDecaysToTheFloor() {
        try (NDManager m = NDManager.newBaseManager()) {
            TinyClassifier model = new TinyClassifier(m, 1, 1);
            try (Trainer t = new Trainer(model, TrainConfig.defaults(110).withLearningRate(1e-3).withWarmupSteps(10).withSchedule("cosine"))) {
                assertThat(t.learningRate(5)).isCloseTo(5e-4, org.assertj.core.data.Offset.offset(1e-12));
                assertThat(t.learningRate(10)).isCloseTo(1e-3, org.assertj.core.data.Offset.offset(1e-12));
                assertThat(t.learningRate(60)).isCloseTo(0.55e-3, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(t.learningRate(110)).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    /** Plain SGD that remembers the gradient it was given. */
    static final class RecordingSgd implements GroupOptimizer {
        final Map<String, float[]> lastGrad = new java.util.HashMap<>();
        int updates;

        public String name() {
            return "sgd";
        }

        public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager sm) {
            lastGrad.put(weight.getShape().toString(), grad.toFloatArray());
            try (NDManager s = sm.newSubManager()) {
                s.tempAttachAll(weight, grad);
                weight.subi(grad.mul(lr));
            }
            updates++;
        }

        public Map<String, NDArray> state() {
            return Map.of();
        }

        public void loadState(Map<String, NDArray> state, NDManager sm) {
        }
    }

    /** The same model with other parameter groups. */
    record DelegatingModel(TinyClassifier inner, List<ParameterGroup> groups) implements TrainableModel {
        public String name() {
            return inner.name();
        }

        public ai.djl.nn.Block block() {
            return inner.block();
        }

        public List<ParameterGroup> parameterGroups() {
            return groups;
        }

        public NDArray loss(NDManager m, TrainBatch b, boolean training) {
            return inner.loss(m, b, training);
        }

        public double trainingFlops(TrainBatch b) {
            return inner.trainingFlops(b);
        }

        public String configJson() {
            return inner.configJson();
        }
    }
}
