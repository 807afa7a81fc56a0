package org.calmnest.lib.nested;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The intermediate arrays of a forward (and backward) pass belong to the caller's per-step
 * manager: nothing may pile up in the model's long-lived manager. Before the fix, HOPE's memory
 * derived its per-chunk states from the parameters, so every state, its gradients' graph and the
 * DGD temporaries were attached to the model's manager (DJL attaches a result to its left
 * operand's manager) and lived until the model was closed: about 4 GB per notebook run of HOPE.
 */
class NestedLmMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"transformer", "cms", "hope", "hopeK"})
    void aTrainingStepAndAnEvaluationLeaveNothingInTheModelsManager(String arm) {
        TorchRuntime.engine();
        HopeConfig hope = new HopeConfig(2, 3, 4, 0.25, 2);
        NestedLmConfig cfg = HopeModel.arm(arm, 16, 0, ContinuumMemoryTest.TINY, new int[]{1, 2}, hope);
        TrainBatch batch = ContinuumMemoryTest.batches(16, 3).validation().get(0);
        try (NestedLm lm = new NestedLm(cfg, 1)) {
            BaseNDManager root = (BaseNDManager) lm.block().getParameters().get(0).getValue().getArray().getManager();
            int before = root.getManagedArrays().size();
            try (NDManager step = root.newSubManager(); GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = lm.loss(step, batch, true);
                gc.backward(loss);
            }
            TorchRuntime.noGrad();
            try (NDManager eval = root.newSubManager()) {
                lm.loss(eval, batch, false);
                lm.evalMetrics(eval, batch);
            }
            assertThat(root.getManagedArrays().size()).as(arm + ": arrays in the model's manager").isEqualTo(before);
        }
    }
}
