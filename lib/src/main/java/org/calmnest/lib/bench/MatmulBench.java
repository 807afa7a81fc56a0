package org.calmnest.lib.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.experiments.MatmulPeak;
import org.calmnest.lib.runtime.TorchRuntime;

/**
 * The denominator of every efficiency figure: DJL's fp32 square-matmul peak
 * ({@link MatmulPeak}), plus the throughput of the matmul shapes the benchmark models actually run
 * (a (B*T, d) by (d, ffn) product), and bf16 through a child-process probe.
 */
public final class MatmulBench {

    /** The peak in FLOP/s and the figures behind it. */
    public record Result(double peakFlops, MatmulPeak.Result squares, String bf16) {
    }

    private MatmulBench() {
    }

    /** Measures, writes the section (when {@code section} is not null) and returns the peak. */
    public static Result run(BenchOptions o, Report.Section section) {
        int[] sizes = o.quick() ? new int[]{256, 512, 1024} : new int[]{256, 512, 1024, 2048};
        MatmulPeak.Result r = MatmulPeak.measure(sizes, new int[0], o.quick() ? 0.3 : 1.0);
        double peak = r.peakFp32();
        System.out.printf("  matmul fp32 peak %.1f GFLOP/s%n", peak / 1e9);
        if (section == null) {
            return new Result(peak, r, "not probed");
        }
        section.columns("operation", "GFLOP/s", "÷ peak");
        r.fp32().forEach((n, g) -> section.row("fp32 " + n + " x " + n + " @ " + n + " x " + n,
                TrainingBench.fmt(g, 1), TrainingBench.fmt(g * 1e9 / peak, 2)));
        for (int d : o.widths()) {
            int ff = BenchModels.backbone(d).ffInner();
            double g = shapeGflops(BenchModels.BATCH * BenchModels.SEQ, d, ff, o.quick() ? 0.3 : 1.0);
            section.row("fp32 (B*T = " + BenchModels.BATCH * BenchModels.SEQ + ", " + d + ") @ (" + d + ", " + ff
                    + ") — SwiGLU up at d = " + d, TrainingBench.fmt(g, 1), TrainingBench.fmt(g * 1e9 / peak, 2));
        }
        String bf16 = probeBf16(o);
        section.row("bf16 512 x 512 (child process)", bf16, "");
        section.note("Peak = best fp32 square matmul: **" + TrainingBench.fmt(peak / 1e9, 1)
                + " GFLOP/s**; every efficiency below is achieved FLOP/s divided by this number from the same run.");
        return new Result(peak, r, bf16);
    }

    /** GFLOP/s of an (m, k) by (k, n) product, best of the repetitions within {@code seconds}. */
    static double shapeGflops(int m, int k, int n, double seconds) {
        try (NDManager mgr = NDManager.newBaseManager(TorchRuntime.device("auto"))) {
            NDArray a = mgr.randomNormal(new Shape(m, k));
            NDArray b = mgr.randomNormal(new Shape(k, n));
            a.matMul(b).getFloat(0, 0);
            double best = Double.MAX_VALUE;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            for (int reps = 0; reps < 3 || (System.nanoTime() < deadline && reps < 200); reps++) {
                long t0 = System.nanoTime();
                try (NDArray r = a.matMul(b)) {
                    r.getFloat(0, 0);
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return 2.0 * m * k * n / best / 1e9;
        }
    }

    /** bf16 512^3 GFLOP/s measured in a child JVM, or what happened to the child. */
    static String probeBf16(BenchOptions o) {
        ChildProcess.Outcome out = ChildProcess.run(ChildProcess.javaCommand(Bf16Probe.class, "512", o.device()), 120);
        String json = out.lastJsonLine();
        if (out.ok() && json != null) {
            String g = json.replaceAll(".*\"bf16_gflops\":\\s*([0-9.]+).*", "$1");
            return g;
        }
        if (out.timedOut()) {
            return "n/a (probe timed out)";
        }
        boolean terminate = out.output().contains("terminate") || out.exitCode() == 134;
        return "n/a (child JVM " + (terminate ? "aborted by std::terminate" : "failed") + ", exit " + out.exitCode() + ")";
    }
}
