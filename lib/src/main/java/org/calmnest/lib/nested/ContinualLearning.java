package org.calmnest.lib.nested;

import org.calmnest.lib.eval.ForgettingMatrix;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.TrainableModel;
import org.calmnest.lib.train.Trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * The continual-learning harness (NESTED.md section 5): tasks are trained in sequence with one
 * trainer (optimiser state and level periods carry over; no data of earlier tasks is replayed),
 * every task's held-out split is evaluated before training (the baseline b_j), every
 * {@code evalEvery} steps and after each task. The result holds the R matrices (next-token
 * accuracy and bits per byte) and every evaluation as a plain record, for loss curves over the run.
 */
public final class ContinualLearning {

    private ContinualLearning() {
    }

    /**
     * @param stepsPerTask optimiser steps on each task
     * @param evalEvery    evaluate every task every E steps (0 = only before and after each task)
     * @param train        learning rate, schedule, clipping, seed (its step budget is set here)
     */
    public record Config(long stepsPerTask, long evalEvery, TrainConfig train) {
        public Config {
            if (stepsPerTask < 1) {
                throw new IllegalArgumentException("ContinualLearning.Config.stepsPerTask = " + stepsPerTask + " is invalid: use at least 1");
            }
            if (evalEvery < 0) {
                throw new IllegalArgumentException("ContinualLearning.Config.evalEvery = " + evalEvery + " is invalid: use 0 or a positive step count");
            }
            if (train == null) {
                throw new IllegalArgumentException("ContinualLearning.Config.train is null: use TrainConfig.defaults(1)");
            }
        }
    }

    /** One held-out evaluation of task {@code evalTask} at global step {@code step}, while training task {@code trainingTask} (-1 = before). */
    public record Point(long step, int trainingTask, int evalTask, double loss, double accuracy, double bitsPerByte) {
    }

    /**
     * @param accuracy        R[i][j]: accuracy on task j after training task i
     * @param bitsPerByte     the same in bits per byte
     * @param baselineAcc     untrained model per task
     * @param curve           every evaluation, in order
     * @param tokensPerSecond training throughput (evaluation time excluded)
     */
    public record Result(List<String> tasks, double[][] accuracy, double[][] bitsPerByte, double[] baselineAcc,
                         double[] baselineBpb, List<Point> curve, double tokensPerSecond, double[] finalTrainLoss) {
        public ForgettingMatrix accuracyMatrix() {
            return ForgettingMatrix.ofAccuracy(accuracy, baselineAcc);
        }

        public ForgettingMatrix bitsPerByteMatrix() {
            return ForgettingMatrix.ofLoss(bitsPerByte, baselineBpb);
        }
    }

    /** Trains {@code model} on the tasks in order and measures every task throughout. */
    public static Result run(TrainableModel model, List<ContinualTask> tasks, Config config) {
        if (tasks == null || tasks.size() < 2) {
            throw new IllegalArgumentException("ContinualLearning.run: " + (tasks == null ? 0 : tasks.size())
                    + " task(s); forgetting needs at least 2 tasks trained in sequence, e.g. europarl en then de");
        }
        int n = tasks.size();
        double[][] acc = new double[n][n];
        double[][] bpb = new double[n][n];
        double[] baseAcc = new double[n];
        double[] baseBpb = new double[n];
        double[] finalLoss = new double[n];
        List<Point> curve = new ArrayList<>();
        long tokens = 0;
        double seconds = 0;
        TrainConfig base = config.train().withEvalEvery(0).withCheckpoints(0, null);
        try (Trainer trainer = new Trainer(model, base.withSteps(config.stepsPerTask()))) {
            evaluateAll(trainer, tasks, -1, curve, baseAcc, baseBpb);
            for (int i = 0; i < n; i++) {
                final int current = i;
                trainer.setConfig(base.withSteps(trainer.step() + config.stepsPerTask()));
                List<StepRecord> steps = new ArrayList<>();
                TrainListener periodic = new TrainListener() {
                    @Override
                    public void onStep(StepRecord r) {
                        steps.add(r);
                        if (config.evalEvery() > 0 && r.step() % config.evalEvery() == 0
                                && r.step() % config.stepsPerTask() != 0) {          // the after-task evaluation follows anyway
                            evaluateAll(trainer, tasks, current, curve, null, null);
                        }
                    }
                };
                long before = trainer.tokens();
                trainer.run(tasks.get(i).data(), List.of(periodic), null);
                for (StepRecord r : steps) {
                    long stepTokens = r.tokens() - before;              // StepRecord.tokens is cumulative
                    before = r.tokens();
                    tokens += stepTokens;
                    seconds += r.tokensPerSecond() > 0 ? stepTokens / r.tokensPerSecond() : 0; // the step's own compute time
                }
                finalLoss[i] = steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
                evaluateAll(trainer, tasks, i, curve, acc[i], bpb[i]);
            }
        }
        List<String> names = tasks.stream().map(ContinualTask::name).toList();
        return new Result(names, acc, bpb, baseAcc, baseBpb, List.copyOf(curve), tokens / Math.max(seconds, 1e-9), finalLoss);
    }

    private static void evaluateAll(Trainer trainer, List<ContinualTask> tasks, int training, List<Point> curve,
                                    double[] accRow, double[] bpbRow) {
        for (int j = 0; j < tasks.size(); j++) {
            EvalRecord e = trainer.evaluate(tasks.get(j).data());
            double a = e.metrics().getOrDefault("accuracy", Double.NaN);
            double b = e.metrics().getOrDefault("bitsPerByte", e.loss() / Math.log(2));
            curve.add(new Point(trainer.step(), training, j, e.loss(), a, b));
            if (accRow != null) {
                accRow[j] = a;
                bpbRow[j] = b;
            }
        }
    }
}
