package org.calmnest.lib.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.runtime.TorchRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine's practical peak: DJL (PyTorch) square matrix-multiply throughput in fp32, and bf16
 * on a GPU (on the CPU, converting to bf16 aborts the JVM with this libtorch build; see below). Every efficiency figure in the results is achieved FLOP/s divided
 * by {@link Result#peakFp32()} measured in the same run.
 *
 * <p>Run: {@code mvn -B -q -pl lib -am compile exec:java -Dexec.mainClass=org.calmnest.lib.experiments.MatmulPeak}
 */
public final class MatmulPeak {

    /** GFLOP/s by matrix size, for fp32 and bf16 (NaN where unsupported). */
    public record Result(Map<Integer, Double> fp32, Map<Integer, Double> bf16) {
        /** Best fp32 FLOP/s over the sizes tried. */
        public double peakFp32() {
            return fp32.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN) * 1e9;
        }

        public double peakBf16() {
            return bf16.values().stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).max().orElse(Double.NaN) * 1e9;
        }
    }

    private MatmulPeak() {
    }

    /** Measures sizes 256..2048 (fp32) and 512..1024 (bf16), about a second per size. */
    public static Result measure() {
        return measure(new int[]{256, 512, 1024, 2048}, new int[]{512, 1024}, 0.6);
    }

    public static Result measure(int[] fp32Sizes, int[] bf16Sizes, double secondsPerSize) {
        TorchRuntime.engine();
        Map<Integer, Double> f = new LinkedHashMap<>();
        Map<Integer, Double> b = new LinkedHashMap<>();
        for (int n : fp32Sizes) {
            f.put(n, gflops(n, DataType.FLOAT32, secondsPerSize));
        }
        // On the CPU, DJL 0.36's toType(BFLOAT16) with the bundled libtorch 2.7.1 aborts the whole
        // JVM (std::terminate, not a Java exception), so bf16 is only measured on a GPU.
        boolean gpu = TorchRuntime.device("auto").isGpu();
        for (int n : bf16Sizes) {
            if (!gpu) {
                b.put(n, Double.NaN);
                continue;
            }
            double g;
            try {
                g = gflops(n, DataType.BFLOAT16, secondsPerSize);
            } catch (RuntimeException e) {
                g = Double.NaN;
            }
            b.put(n, g);
        }
        return new Result(f, b);
    }

    /** GFLOP/s of an n x n by n x n matmul (2 n^3 FLOPs), best of the timed repetitions. */
    static double gflops(int n, DataType type, double seconds) {
        try (NDManager m = NDManager.newBaseManager(TorchRuntime.device("auto"))) {
            NDArray a = m.randomNormal(new Shape(n, n)).toType(type, false);
            NDArray c = m.randomNormal(new Shape(n, n)).toType(type, false);
            for (int i = 0; i < 2; i++) {                       // warm-up
                try (NDArray r = a.matMul(c)) {
                    r.getFloat(0, 0);
                }
            }
            double best = Double.MAX_VALUE;
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            int reps = 0;
            while (reps < 3 || (System.nanoTime() < deadline && reps < 200)) {
                long t0 = System.nanoTime();
                try (NDArray r = a.matMul(c)) {
                    r.toType(DataType.FLOAT32, false).getFloat(0, 0); // forces completion
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                reps++;
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    public static void main(String[] args) {
        System.out.println(TorchRuntime.info());
        Result r = measure();
        r.fp32().forEach((n, g) -> System.out.printf("fp32 %5d x %-5d %8.1f GFLOP/s%n", n, n, g));
        r.bf16().forEach((n, g) -> System.out.printf("bf16 %5d x %-5d %8.1f GFLOP/s%n", n, n, g));
        System.out.printf("peak fp32 %.1f GFLOP/s, bf16 %.1f GFLOP/s%n", r.peakFp32() / 1e9, r.peakBf16() / 1e9);
    }
}
