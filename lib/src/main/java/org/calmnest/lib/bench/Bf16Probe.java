package org.calmnest.lib.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.runtime.TorchRuntime;

/**
 * Child-process probe of bf16 matrix multiplication: {@code java ... Bf16Probe N device} prints
 * {@code {"bf16_gflops": g}} and exits 0, or dies. On the CPU with DJL 0.36 and libtorch 2.7.1,
 * {@code toType(BFLOAT16)} ends the process with std::terminate (SIGABRT, exit 134), which is why
 * {@link MatmulBench} never calls it in the benchmark's own JVM.
 */
public final class Bf16Probe {

    private Bf16Probe() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        Device device = TorchRuntime.device(args.length > 1 ? args[1] : "auto");
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomNormal(new Shape(n, n)).toType(DataType.BFLOAT16, false);
            NDArray b = m.randomNormal(new Shape(n, n)).toType(DataType.BFLOAT16, false);
            a.matMul(b).toType(DataType.FLOAT32, false).getFloat(0, 0); // warm-up
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                try (NDArray r = a.matMul(b)) {
                    r.toType(DataType.FLOAT32, false).getFloat(0, 0);
                }
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("{\"bf16_gflops\": %.3f, \"n\": %d}%n", 2.0 * n * n * n / best / 1e9, n);
        }
    }
}
