package org.calmnest.lib.train;

/** Receives the events of a training run (progress bars and live charts hang off this). */
public interface TrainListener {

    default void onStart(String modelName, TrainConfigView config) {
    }

    default void onStep(StepRecord record) {
    }

    default void onEval(EvalRecord record) {
    }

    /** @param cancelled true when the run stopped because its token was cancelled */
    default void onEnd(long steps, boolean cancelled) {
    }

    /** What listeners may know of the run's budget, for ETAs. */
    record TrainConfigView(long maxSteps, double maxSeconds, long maxTokens, double maxFlops) {
    }
}
