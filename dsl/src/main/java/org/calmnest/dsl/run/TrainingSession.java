package org.calmnest.dsl.run;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.display.Session;
import org.calmnest.dsl.progress.ProgressListener;
import org.calmnest.dsl.result.History;
import org.calmnest.dsl.spec.RunSettings;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.TrainableModel;
import org.calmnest.lib.train.Trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * One model, its data and its {@link Trainer}, kept together so training can continue where it
 * stopped (optimiser state and step counter carry over). Every run shows progress for the current
 * session and checks {@link Session#cancellation()} each step: an interrupt stops training within
 * one step and leaves the model usable.
 */
public final class TrainingSession implements AutoCloseable {

    private final TrainableModel model;
    private final BatchSource data;
    private final Trainer trainer;
    private final RunSettings settings;
    private History history;

    private TrainingSession(TrainableModel model, BatchSource data, RunSettings settings, Budget budget) {
        EngineThread.prepare();
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.trainer = new Trainer(model, config(settings, budget, 0, 0, 0));
        this.history = new History(model.name(), List.of(), List.of(), false);
    }

    /**
     * A session for a model restored from a checkpoint written by {@link #saveCheckpoint}: the
     * parameters, optimiser state and step counter are loaded; training continues with
     * {@link #continueTraining}.
     */
    public static TrainingSession resume(TrainableModel model, BatchSource data, RunSettings settings,
                                         java.nio.file.Path checkpoint, History history) {
        TrainingSession s = new TrainingSession(model, data, settings, new Budget(1, 0, 0, 0));
        s.trainer.loadCheckpoint(checkpoint);
        s.history = history;
        return s;
    }

    /** Writes model parameters, optimiser state and step counter (atomically). */
    public void saveCheckpoint(java.nio.file.Path file) {
        trainer.saveCheckpoint(file);
    }

    /** Trains {@code model} on {@code data} within {@code budget} and returns the session. */
    public static TrainingSession train(TrainableModel model, BatchSource data, RunSettings settings, Budget budget,
                                        TrainListener... extra) {
        TrainingSession s = new TrainingSession(model, data, settings, budget);
        s.run(extra);
        return s;
    }

    /** Trains for {@code more} (steps, tokens and FLOPs counted from now) and returns the longer history. */
    public History continueTraining(Budget more, TrainListener... extra) {
        if (more == null) {
            throw new IllegalArgumentException("continueTraining: budget is null; pass e.g. steps(200) or minutes(1)");
        }
        trainer.setConfig(config(settings, more, trainer.step(), trainer.tokens(), trainer.flops()));
        return run(extra);
    }

    private History run(TrainListener... extra) {
        EngineThread.prepare();
        List<TrainListener> listeners = new ArrayList<>();
        listeners.add(ProgressListener.forCurrentSession());
        listeners.addAll(List.of(extra));
        // not reset here: an interrupt stops every training left in the cell; the kernel (and script
        // mode) reset the token before each cell with Session.beginCell()
        Trainer.Result r = trainer.run(data, listeners, Session.cancellation());
        history = history.append(r.steps(), r.evals(), r.cancelled());
        return history;
    }

    static TrainConfig config(RunSettings s, Budget b, long stepsDone, long tokensDone, double flopsDone) {
        long warmup = b.steps() > 0 ? Math.min(s.warmupSteps(), Math.max(0, b.steps() / 10)) : s.warmupSteps();
        TrainConfig c = TrainConfig.defaults(Math.max(1, b.steps()))
                .withLearningRate(s.learningRate()).withWarmupSteps(warmup)
                .withEvalEvery(s.evalEvery()).withSeed(s.seed());
        return c.withSteps(b.steps() > 0 ? stepsDone + b.steps() : Long.MAX_VALUE / 4)
                .withMaxSeconds(b.seconds())
                .withMaxTokens(b.tokens() > 0 ? tokensDone + b.tokens() : 0)
                .withMaxFlops(b.flops() > 0 ? flopsDone + b.flops() : 0);
    }

    /**
     * Runs the validation batches now. The engine is seeded first, so models whose loss samples
     * (CALM's energy score) give the same number on every call.
     */
    public EvalRecord evaluate() {
        EngineThread.prepare();
        org.calmnest.lib.runtime.TorchRuntime.seed(settings.seed());
        return trainer.evaluate(data);
    }

    public History history() {
        return history;
    }

    public TrainableModel model() {
        return model;
    }

    public BatchSource data() {
        return data;
    }

    public Trainer trainer() {
        return trainer;
    }

    /** Frees the optimiser state (not the model). */
    @Override
    public void close() {
        trainer.close();
    }
}
