package org.calmnest.lib.nested;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** NestedLm's device placement and its analytic FLOP count. */
class NestedLmTest {

    private static final BackboneConfig TINY = ContinuumMemoryTest.TINY;      // d 8, 1 layer, 2 heads, ff 8, context 8
    private static final int[] PERIODS = {1, 2};

    private static TrainBatch batch(int rows, int cols) {
        return new TrainBatch(new int[rows * cols], rows, cols, (long) rows * cols, (long) rows * cols);
    }

    @Test
    void defaultDeviceIsTheEnginesAndEveryParameterLivesThere() {
        NestedLmConfig cfg = HopeModel.arm("cms", 16, 0, TINY, PERIODS, null);
        try (NestedLm lm = new NestedLm(cfg, 1)) {
            assertThat(lm.device()).isEqualTo(TorchRuntime.device("auto"));
            for (Pair<String, Parameter> p : lm.block().getParameters()) {
                assertThat(p.getValue().getArray().getDevice()).as(p.getKey()).isEqualTo(lm.device());
            }
        }
    }

    @Test
    void explicitDeviceTrainsLikeTheDefaultAndKeepsTrainerStateThere() {
        HopeConfig hope = new HopeConfig(2, 3, 4, 0.25, 2);
        NestedLmConfig cfg = HopeModel.arm("hope", 16, 0, TINY, PERIODS, hope);
        TrainConfig tc = TrainConfig.defaults(4).withWarmupSteps(0).withLearningRate(1e-2);
        Device cpu = TorchRuntime.device("cpu");
        List<Double> explicit;
        List<Double> byDefault;
        try (NestedLm lm = new NestedLm(cfg, 7, DataType.FLOAT32, cpu); Trainer t = new Trainer(lm, tc)) {
            assertThat(lm.device()).isEqualTo(cpu);
            explicit = t.run(ContinuumMemoryTest.batches(16, 1), List.of(), null).steps().stream().map(StepRecord::loss).toList();
            for (Pair<String, Parameter> p : lm.block().getParameters()) {
                assertThat(p.getValue().getArray().getDevice()).as(p.getKey()).isEqualTo(cpu);
            }
        }
        try (NestedLm lm = new NestedLm(cfg, 7); Trainer t = new Trainer(lm, tc)) {
            byDefault = t.run(ContinuumMemoryTest.batches(16, 1), List.of(), null).steps().stream().map(StepRecord::loss).toList();
        }
        assertThat(explicit).hasSize(4);
        if (TorchRuntime.device("auto").equals(cpu)) {
            assertThat(explicit).isEqualTo(byDefault);                        // same device, same seed: same run
        }
    }

    @Test
    void lossFromAForeignManagerEqualsTheTrainersEvaluation() {
        NestedLmConfig cfg = HopeModel.arm("transformer", 16, 0, TINY, PERIODS, null);
        BatchSource data = ContinuumMemoryTest.batches(16, 2);
        List<TrainBatch> val = data.validation();                              // 2 batches of equal size
        try (NestedLm lm = new NestedLm(cfg, 3, TorchRuntime.device("cpu"));
             Trainer t = new Trainer(lm, TrainConfig.defaults(1));
             NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device("cpu"))) {
            double viaTrainer = t.evaluate(data).loss();
            double outside = 0;
            for (TrainBatch b : val) {
                outside += lm.loss(m, b, false).toType(DataType.FLOAT64, false).getDouble() / val.size();
            }
            assertThat(outside).isCloseTo(viaTrainer, within(1e-6)).isGreaterThan(0);
        }
    }

    @Test
    void nullDeviceOrDataTypeIsRejectedWithTheFix() {
        NestedLmConfig cfg = HopeModel.arm("transformer", 16, 0, TINY, PERIODS, null);
        assertThatThrownBy(() -> new NestedLm(cfg, 1, DataType.FLOAT32, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("device is null").hasMessageContaining("TorchRuntime.device");
        assertThatThrownBy(() -> new NestedLm(cfg, 1, null, Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataType is null");
    }

    @Test
    void transformerArmFlopsEqualTheTokenLmBaselineOfTheSameBackbone() {
        NestedLmConfig cfg = HopeModel.arm("transformer", 16, -1, TINY, PERIODS, null);
        TrainBatch b = batch(3, 9);                                         // 3 rows x 8 predictions
        try (NestedLm lm = new NestedLm(cfg, 1);
             TokenLm base = TokenLm.create(new TokenLmConfig(16, -1, -1, TINY), 1, TorchRuntime.device("cpu"))) {
            assertThat(lm.trainingFlops(b)).isCloseTo(base.trainingFlops(b), within(1e-6));
        }
        // the CMS split of the SwiGLU (2 levels of width 4) does the same matmul work, whatever the periods
        for (String arm : List.of("transformerK", "cms", "lrMatched")) {
            assertThat(NestedFlops.training(HopeModel.arm(arm, 16, -1, TINY, PERIODS, null), 3, 8))
                    .as(arm).isEqualTo(NestedFlops.training(cfg, 3, 8));
        }
    }

    @Test
    void embeddingTableIsNotCountedButTheOutputProjectionIs() {
        NestedLmConfig v16 = HopeModel.arm("cms", 16, -1, TINY, PERIODS, null);
        NestedLmConfig v56 = HopeModel.arm("cms", 56, -1, TINY, PERIODS, null);
        double rows = 2;
        double positions = 8;
        double added = NestedFlops.training(v56, 2, 8) - NestedFlops.training(v16, 2, 8);
        // 40 more vocabulary rows: the head costs 3 x 2 d per new row and position; the embedding nothing
        assertThat(added).isCloseTo(3 * rows * positions * 2 * 8 * 40, within(1e-6));
        try (NestedLm a = new NestedLm(v16, 1); NestedLm b = new NestedLm(v56, 1)) {
            long extraParams = b.parameterCount() - a.parameterCount();
            assertThat(extraParams).isEqualTo(2L * 8 * 40);                 // embedding + head rows
            assertThat(added).isEqualTo(0.5 * 6 * extraParams * rows * positions); // half of what 6 N T would charge
        }
    }

    @Test
    void hopeFlopsMatchAHandCount() {
        // d 8, 1 layer, 2 heads (dh 4), memory width m 3, chunk 2; CMS 2 levels of width 4; V 16; T 5 (3 chunks)
        HopeConfig hope = new HopeConfig(2, 3, 2, 0.5, 4);
        NestedLmConfig cfg = HopeModel.arm("hope", 16, -1, TINY, PERIODS, hope);
        // W_q, W_o: 5 * 2 * 2 * 64 = 1280
        // memories: 2 * 5 * 2 * (5 * (10*4*3 + 16 + 9) + 3 * 4*3*(3+4)) = 20 * (725 + 252) = 19540
        // CMS: 5 * 2 * 3 * 2*8*4 = 1920;  head: 5 * 2*8*16 = 1280;  forward 24020; training, 2 rows: 144120
        assertThat(NestedFlops.forward(cfg, 5)).isEqualTo(24020.0);
        assertThat(NestedFlops.training(cfg, 2, 5)).isEqualTo(144120.0);
        try (NestedLm lm = new NestedLm(cfg, 1)) {
            assertThat(lm.trainingFlops(batch(2, 6))).isEqualTo(144120.0);
        }
        // token by token: 5 chunks instead of 3 add 2 chunk updates of 84 multiply-adds per memory and head
        double tokenByToken = NestedFlops.forward(HopeModel.arm("hope", 16, -1, TINY, PERIODS, hope.withChunk(1)), 5);
        assertThat(tokenByToken - 24020.0).isEqualTo(2 * 5 * 2 * 2 * 84.0);
    }

    @Test
    void flopArgumentsAreChecked() {
        NestedLmConfig cfg = HopeModel.arm("transformer", 16, -1, TINY, PERIODS, null);
        assertThatThrownBy(() -> NestedFlops.forward(cfg, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions = 0");
        assertThatThrownBy(() -> NestedFlops.training(cfg, 0, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows = 0");
    }
}
