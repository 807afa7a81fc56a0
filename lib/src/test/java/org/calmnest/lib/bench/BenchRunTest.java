package org.calmnest.lib.bench;

import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The harness on real (tiny) DJL models. */
class BenchRunTest {

    private static TokenLm tiny() {
        BackboneConfig b = new BackboneConfig(32, 1, 2, 64, 16, 10000);
        return TokenLm.create(new TokenLmConfig(20, -1, -1, b), 1, TorchRuntime.device("cpu"));
    }

    @Test
    void gpuRequestedWithoutOneIsAClearError() {
        if (TorchRuntime.engine().getGpuCount() > 0) {
            return; // nothing to check on a GPU machine
        }
        BenchOptions o = BenchOptions.parse("matmul", "--device", "gpu");
        assertThatThrownBy(() -> Bench.run(o, "matmul --device gpu"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 GPU").hasMessageContaining("cpu");
    }

    @Test
    void throughputOfARealModelIsConsistentWithItsAnalyticFlops() {
        SyntheticBatches data = new SyntheticBatches(20, 2, 17, 2, 3);
        try (TokenLm m = tiny()) {
            TrainingThroughput.Result r = TrainingThroughput.measure(m, data, 1, 2);
            TrainBatch b = data.first();
            assertThat(r.tokensPerSecond()).isPositive();
            assertThat(r.steps()).isEqualTo(2);
            assertThat(r.finalLoss()).isBetween(0.0, 10.0);
            // every step has the same shape, so FLOPs/token is the model's analytic ratio exactly
            assertThat(r.flopsPerSecond() / r.tokensPerSecond())
                    .isCloseTo(m.trainingFlops(b) / b.tokens(), within(1e-6 * m.trainingFlops(b)));
        }
    }

    @Test
    void noNdArrayOutlivesATrainingStep() {
        MemoryBench.Result r = MemoryBench.measure(new BackboneConfig(32, 1, 2, 64, 16, 10000), 2, 2, 5,
                TorchRuntime.device("cpu"));
        assertThat(r.arraysEarly()).isPositive();              // the parameters and optimiser state
        assertThat(r.arraysLate()).isEqualTo(r.arraysEarly());
    }

    @Test
    @Tag("slow")
    void trainingDoesNotGrowNativeMemory() {
        MemoryBench.Result r = MemoryBench.measure(50, 500, TorchRuntime.device("cpu"));
        assertThat(r.arraysLate()).isEqualTo(r.arraysEarly());
        assertThat(r.rssRatio()).isBetween(0.9, 1.1);
    }
}
