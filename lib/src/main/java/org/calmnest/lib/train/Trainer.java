package org.calmnest.lib.train;

import java.nio.file.Path;
import java.util.List;

/**
 * The one training loop for every model (AdamW by default, per-group periods and learning rates,
 * warm-up + constant/cosine schedule, global-norm clipping, accumulation, validation, atomic
 * checkpoints, cancellation within one step).
 *
 * <p>Usage: {@code try (Trainer t = new Trainer(model, config)) { Result r = t.run(data, listeners, token); }}.
 * {@code run} can be called again on the same Trainer to continue training: the optimiser state
 * and the step counter carry over. Closing the trainer frees optimiser state, not the model.
 */
public final class Trainer implements AutoCloseable {

    /** Result of a run: the step and eval records, and whether it was cancelled. */
    public record Result(List<StepRecord> steps, List<EvalRecord> evals, boolean cancelled, long finalStep) {
    }

    public Trainer(TrainableModel model, TrainConfig config) {
        throw new UnsupportedOperationException("Trainer is being written (lead)");
    }

    /** Trains until a budget of the config is reached or the token is cancelled. */
    public Result run(BatchSource data, List<TrainListener> listeners, CancellationToken token) {
        throw new UnsupportedOperationException("Trainer is being written (lead)");
    }

    /** Runs the validation batches now (no gradient) and returns the record. */
    public EvalRecord evaluate(BatchSource data) {
        throw new UnsupportedOperationException("Trainer is being written (lead)");
    }

    /** Writes a checkpoint atomically (model parameters + config + optimiser state + step). */
    public void saveCheckpoint(Path file) {
        throw new UnsupportedOperationException("Trainer is being written (lead)");
    }

    /** Loads a checkpoint written by {@link #saveCheckpoint} into this trainer's model and optimiser. */
    public void loadCheckpoint(Path file) {
        throw new UnsupportedOperationException("Trainer is being written (lead)");
    }

    /** Optimiser steps taken so far. */
    public long step() {
        return 0;
    }

    @Override
    public void close() {
    }
}
