package org.calmnest.lib.nested;

import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

import java.util.Iterator;
import java.util.List;

/**
 * The online mode of a Continuum Memory System (NESTED.md section 3): after training, keep
 * streaming new text and keep updating the levels at their own periods from the next-token loss.
 * Each batch is scored <b>before</b> the update it causes, so the returned losses are
 * prequential (test-then-train) losses of the adapting model.
 */
public final class OnlineAdaptation {

    private OnlineAdaptation() {
    }

    /**
     * @param prequentialLoss loss of each streamed batch, measured before the model learned from it
     * @param tokensPerSecond throughput of the adaptation steps
     */
    public record Result(double[] prequentialLoss, double tokensPerSecond) {
    }

    /**
     * Streams {@code steps} batches of {@code stream.train(seed)} through {@code model}; levels with
     * period C update every C batches on their summed gradient. The model's parameter groups
     * (periods, rates) are used as they are; {@code config} gives the rate and optimiser settings.
     */
    public static Result stream(NestedLm model, BatchSource stream, long steps, TrainConfig config) {
        if (steps < 1) {
            throw new IllegalArgumentException("OnlineAdaptation.stream: steps = " + steps + " is invalid: stream at least 1 batch");
        }
        if (!model.config().levelGroups()) {
            throw new IllegalArgumentException("OnlineAdaptation.stream: model " + model.name() + " has no CMS level groups; "
                    + "build it with a CmsConfig and levelGroups = true so each level keeps its period");
        }
        try (Trainer t = new Trainer(model, config.withSteps(steps).withEvalEvery(0).withCheckpoints(0, null))) {
            List<StepRecord> records = t.run(new BatchSource() {
                @Override
                public Iterator<TrainBatch> train(long seed) {
                    return stream.train(seed);
                }

                @Override
                public List<TrainBatch> validation() {
                    return List.of();                       // no held-out pass: the stream is the test
                }
            }, List.of(), null).steps();
            double[] loss = records.stream().mapToDouble(StepRecord::loss).toArray();
            double tps = records.stream().mapToDouble(StepRecord::tokensPerSecond).average().orElse(0);
            return new Result(loss, tps);
        }
    }
}
