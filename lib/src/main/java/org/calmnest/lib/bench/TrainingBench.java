package org.calmnest.lib.bench;

import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Training throughput and efficiency of several models, all in one report table: tokens/s,
 * median step time, achieved FLOP/s (analytic {@code trainingFlops} / wall time), efficiency =
 * achieved / matmul peak of the same run, and the process's peak and native memory while that
 * configuration trained.
 */
public final class TrainingBench {

    /** One configuration to measure: a label, the model (closed after the run) and its batches. */
    public record Case(String model, int width, String detail, Supplier<TrainableModel> factory, SyntheticBatches data) {
    }

    /** What was measured for one case. */
    public record Row(Case c, TrainingThroughput.Result result, long tokensPerStep, double flopsPerStep,
                      ProcessMemory.Snapshot memory) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final double peakFlops;
    private final int warmup;
    private final int steps;
    private final double rowSeconds;

    /**
     * @param peakFlops  the matmul peak (FLOP/s) efficiencies are divided by
     * @param warmup     untimed steps per case
     * @param steps      timed steps per case
     * @param rowSeconds a case stops timing after this many seconds (at least one timed step; 0 = no limit)
     */
    public TrainingBench(double peakFlops, int warmup, int steps, double rowSeconds) {
        this.peakFlops = peakFlops;
        this.warmup = warmup;
        this.steps = steps;
        this.rowSeconds = rowSeconds;
    }

    /** Trains one case with the bench's step counts, records its row and returns it. */
    public Row run(Case c) {
        return run(c, warmup, steps);
    }

    /** Trains one case with its own step counts (for models whose steps take much longer). */
    public Row run(Case c, int warmupSteps, int timedSteps) {
        ProcessMemory.resetPeak();
        TrainableModel model = c.factory().get();
        try {
            TrainBatch b = c.data().first();
            TrainingThroughput.Result r = TrainingThroughput.measure(model, c.data(), warmupSteps, timedSteps, rowSeconds);
            ProcessMemory.Snapshot mem = ProcessMemory.read();
            Row row = new Row(c, r, b.tokens(), model.trainingFlops(b), mem);
            rows.add(row);
            System.out.printf("  %-12s d=%-4d %-10s %9.0f tok/s  %7.1f ms/step  %6.1f GFLOP/s  %5.1f %% of peak%n",
                    c.model(), c.width(), c.detail(), r.tokensPerSecond(), r.medianStepSeconds() * 1e3,
                    r.flopsPerSecond() / 1e9, 100 * r.efficiency(peakFlops));
            return row;
        } finally {
            if (model instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close " + model.name() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table of every row so far. */
    public void writeTo(Report.Section s) {
        s.columns("model", "d", "setting", "timed steps", "tokens/step", "tokens/s", "ms/step (median)", "GFLOP/step",
                "achieved GFLOP/s", "efficiency (÷ peak)", "peak RSS MiB", "native MiB", "loss");
        for (Row r : rows) {
            TrainingThroughput.Result t = r.result();
            s.row(r.c().model(), r.c().width(), r.c().detail(), t.steps(), r.tokensPerStep(), fmt(t.tokensPerSecond(), 0),
                    fmt(t.medianStepSeconds() * 1e3, 1), fmt(r.flopsPerStep() / 1e9, 2), fmt(t.flopsPerSecond() / 1e9, 1),
                    fmt(100 * t.efficiency(peakFlops), 1) + " %", ProcessMemory.mib(r.memory().peakRss()),
                    ProcessMemory.mib(r.memory().nativeEstimate()), fmt(t.finalLoss(), 3));
        }
    }

    static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format("%." + decimals + "f", v) : "n/a";
    }
}
