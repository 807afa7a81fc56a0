package org.calmnest.lib.train;

import java.nio.file.Path;

/**
 * How to train (separate from what the model is). A run stops at the first budget reached:
 * steps, seconds, tokens or FLOPs (0 = no limit for the last three).
 *
 * @param maxSteps          optimiser steps (>= 1)
 * @param maxSeconds        wall-clock budget (0 = none)
 * @param maxTokens         token budget (0 = none)
 * @param maxFlops          training FLOP budget (0 = none)
 * @param learningRate      peak learning rate
 * @param warmupSteps       linear warm-up steps
 * @param schedule          "constant" or "cosine" after warm-up
 * @param minLrRatio        final lr / peak lr for cosine
 * @param beta1             AdamW beta1
 * @param beta2             AdamW beta2
 * @param weightDecay       AdamW decoupled weight decay
 * @param gradClip          global gradient-norm clip (0 = none)
 * @param accumulation      micro-batches per optimiser step (>= 1)
 * @param evalEvery         validation every E steps (0 = only at the end)
 * @param checkpointEvery   checkpoint every C steps (0 = never), needs checkpointDir
 * @param checkpointDir     where checkpoints go, or null
 * @param seed              seeds data order, dropout and sampling
 */
public record TrainConfig(long maxSteps, double maxSeconds, long maxTokens, double maxFlops,
                          double learningRate, long warmupSteps, String schedule, double minLrRatio,
                          double beta1, double beta2, double weightDecay, double gradClip,
                          int accumulation, long evalEvery, long checkpointEvery, Path checkpointDir,
                          long seed) {

    public TrainConfig {
        require(maxSteps >= 1, "maxSteps", maxSteps, "use at least 1 step");
        require(maxSeconds >= 0, "maxSeconds", maxSeconds, "use 0 for no time limit or a positive number");
        require(maxTokens >= 0, "maxTokens", maxTokens, "use 0 for no token limit or a positive number");
        require(maxFlops >= 0, "maxFlops", maxFlops, "use 0 for no FLOP limit or a positive number");
        require(learningRate > 0 && learningRate < 10, "learningRate", learningRate, "use a value such as 3e-4");
        require(warmupSteps >= 0, "warmupSteps", warmupSteps, "use 0 or more");
        require("constant".equals(schedule) || "cosine".equals(schedule), "schedule", schedule,
                "use \"constant\" or \"cosine\"");
        require(minLrRatio >= 0 && minLrRatio <= 1, "minLrRatio", minLrRatio, "use a value in [0, 1]");
        require(beta1 >= 0 && beta1 < 1, "beta1", beta1, "use a value in [0, 1), e.g. 0.9");
        require(beta2 >= 0 && beta2 < 1, "beta2", beta2, "use a value in [0, 1), e.g. 0.95");
        require(weightDecay >= 0, "weightDecay", weightDecay, "use 0 or a small positive value such as 0.1");
        require(gradClip >= 0, "gradClip", gradClip, "use 0 to disable or a positive norm such as 1.0");
        require(accumulation >= 1, "accumulation", accumulation, "use 1 or more micro-batches per step");
        require(evalEvery >= 0, "evalEvery", evalEvery, "use 0 (only at the end) or a positive step count");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery, "use 0 (never) or a positive step count");
        require(checkpointEvery == 0 || checkpointDir != null, "checkpointDir", null,
                "set a directory when checkpointEvery > 0");
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("TrainConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** The reference recipe (AdamW 0.9/0.95, wd 0.1, clip 1.0, constant lr after warm-up). */
    public static TrainConfig defaults(long steps) {
        return new TrainConfig(steps, 0, 0, 0, 3e-4, Math.min(100, steps / 10), "constant", 0.1,
                0.9, 0.95, 0.1, 1.0, 1, 0, 0, null, 42);
    }

    public TrainConfig withSteps(long v) { return new TrainConfig(v, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withMaxSeconds(double v) { return new TrainConfig(maxSteps, v, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withMaxTokens(long v) { return new TrainConfig(maxSteps, maxSeconds, v, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withMaxFlops(double v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, v, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withLearningRate(double v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, v, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withWarmupSteps(long v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, v, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withSchedule(String v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, v, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withWeightDecay(double v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, v, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withGradClip(double v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, v, accumulation, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withAccumulation(int v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, v, evalEvery, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withEvalEvery(long v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, v, checkpointEvery, checkpointDir, seed); }
    public TrainConfig withCheckpoints(long every, Path dir) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, every, dir, seed); }
    public TrainConfig withSeed(long v) { return new TrainConfig(maxSteps, maxSeconds, maxTokens, maxFlops, learningRate, warmupSteps, schedule, minLrRatio, beta1, beta2, weightDecay, gradClip, accumulation, evalEvery, checkpointEvery, checkpointDir, v); }
}
