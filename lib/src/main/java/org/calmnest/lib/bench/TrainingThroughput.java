package org.calmnest.lib.bench;

import org.calmnest.lib.train.CancellationToken;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.TrainableModel;
import org.calmnest.lib.train.Trainer;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

/**
 * Training speed of a model through the project's own {@link Trainer} (AdamW, clipping, the full
 * step): {@code warmup} untimed steps, then {@code steps} timed ones. Throughput and achieved FLOP/s
 * come from the wall time of the timed steps together (loop overhead included); the step time is
 * also given as a median, which is robust to another process stealing the CPU for a moment.
 * Efficiency = achieved FLOP/s / the matmul peak, with the model's analytic
 * {@link TrainableModel#trainingFlops} as the numerator's FLOPs.
 */
public final class TrainingThroughput {

    /**
     * @param tokensPerSecond   tokens of the timed steps / their wall time
     * @param flopsPerSecond    analytic training FLOPs of the timed steps / their wall time
     * @param medianStepSeconds median wall time of one timed step
     * @param minStepSeconds    fastest timed step
     * @param steps             timed steps
     * @param finalLoss         loss of the last step (a sanity check that training ran)
     * @param cpuSecondsPerStep process CPU time (all threads) per timed step, NaN when unknown; less
     *                          sensitive than wall time to other processes competing for the cores
     */
    public record Result(double tokensPerSecond, double flopsPerSecond, double medianStepSeconds,
                         double minStepSeconds, int steps, double finalLoss, double cpuSecondsPerStep) {
        /** Achieved FLOP/s as a fraction of {@code peakFlops}. */
        public double efficiency(double peakFlops) {
            return flopsPerSecond / peakFlops;
        }

        /** Tokens per second computed from the median step (less sensitive to interference). */
        public double medianTokensPerSecond(long tokensPerStep) {
            return tokensPerStep / medianStepSeconds;
        }
    }

    private TrainingThroughput() {
    }

    /** Trains {@code model} for warmup + steps steps on {@code data} with the reference recipe. */
    public static Result measure(TrainableModel model, SyntheticBatches data, int warmup, int steps) {
        return measure(model, data, warmup, steps, 0);
    }

    /**
     * As {@link #measure(TrainableModel, SyntheticBatches, int, int)}, but stops early once
     * {@code maxSeconds} (0 = no limit) have passed and at least one timed step ran, so that a
     * very slow configuration cannot hold up the whole suite; {@link Result#steps()} says how many
     * steps were timed.
     */
    public static Result measure(TrainableModel model, SyntheticBatches data, int warmup, int steps, double maxSeconds) {
        if (warmup < 1 || steps < 2) {
            throw new IllegalArgumentException("TrainingThroughput: warmup " + warmup + " must be >= 1 and steps " + steps
                    + " >= 2 (the first step builds caches and is never timed)");
        }
        TrainConfig config = TrainConfig.defaults(warmup + steps).withWarmupSteps(0);
        long[] cpu = new long[2];
        long start = System.nanoTime();
        CancellationToken stop = new CancellationToken();
        TrainListener clock = new TrainListener() {
            @Override
            public void onStep(StepRecord record) {
                if (record.step() == warmup) {
                    cpu[0] = processCpuNanos();
                } else if (record.step() > warmup) {
                    cpu[1] = processCpuNanos();
                    if (maxSeconds > 0 && (System.nanoTime() - start) / 1e9 >= maxSeconds) {
                        stop.cancel();
                    }
                }
            }
        };
        try (Trainer trainer = new Trainer(model, config)) {
            List<StepRecord> r = trainer.run(data, List.of(clock), stop).steps();
            Result t = fromRecords(r, warmup);
            double cpuPerStep = cpu[0] > 0 && cpu[1] > 0 ? (cpu[1] - cpu[0]) / 1e9 / t.steps() : Double.NaN;
            return new Result(t.tokensPerSecond(), t.flopsPerSecond(), t.medianStepSeconds(), t.minStepSeconds(),
                    t.steps(), t.finalLoss(), cpuPerStep);
        }
    }

    /** CPU time of the whole process (every thread, libtorch's included), or -1 where unsupported. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Throughput of the records after the first {@code warmup} ones. */
    static Result fromRecords(List<StepRecord> r, int warmup) {
        if (r.size() <= warmup) {
            throw new IllegalArgumentException("TrainingThroughput: " + r.size() + " steps ran, need more than warmup = "
                    + warmup + " (at least one timed step)");
        }
        StepRecord before = r.get(warmup - 1);
        StepRecord last = r.get(r.size() - 1);
        double seconds = last.wallSeconds() - before.wallSeconds();
        double[] stepSeconds = new double[r.size() - warmup];
        for (int i = warmup; i < r.size(); i++) {
            stepSeconds[i - warmup] = r.get(i).wallSeconds() - r.get(i - 1).wallSeconds();
        }
        Arrays.sort(stepSeconds);
        double median = stepSeconds.length % 2 == 1 ? stepSeconds[stepSeconds.length / 2]
                : (stepSeconds[stepSeconds.length / 2 - 1] + stepSeconds[stepSeconds.length / 2]) / 2;
        return new Result((last.tokens() - before.tokens()) / seconds, (last.flops() - before.flops()) / seconds,
                median, stepSeconds[0], stepSeconds.length, last.loss(), Double.NaN);
    }
}
