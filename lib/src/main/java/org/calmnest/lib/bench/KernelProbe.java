package org.calmnest.lib.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.calmnest.lib.runtime.TorchRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-kernel timings (wall and process CPU time) of the operations that dominate a Transformer
 * step, and of DJL's fixed cost per operation (1,000 tiny additions), so a gap to PyTorch can be
 * attributed to kernels or to per-op overhead. {@code lib/bench/kernel_probe.py} times the same in
 * PyTorch. Run: {@code ... exec:java -Dexec.mainClass=org.calmnest.lib.bench.KernelProbe -Dexec.args="1"}
 * (the argument is the thread count).
 */
public final class KernelProbe {

    /** Wall and CPU milliseconds per call. */
    public record Timing(double wallMs, double cpuMs) {
    }

    private KernelProbe() {
    }

    /** Times every probe with {@code threads} intra-op threads; keys are the probe names. */
    public static Map<String, Timing> run(int threads) {
        TorchRuntime.engine();
        JniUtils.setNumThreads(threads);
        Map<String, Timing> out = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(TorchRuntime.device("auto"))) {
            NDArray a = m.randomNormal(new Shape(1024, 256));
            NDArray w = m.randomNormal(new Shape(688, 256));
            NDArray b = m.randomNormal(new Shape(1024, 688));
            NDArray x = m.randomNormal(new Shape(1024, 1024));
            NDArray s = m.randomNormal(new Shape(8, 4, 128, 128));
            out.put("linear 1024x256 -> 688", time(m, 20, sub -> a.getNDArrayInternal().linear(a, w, null).singletonOrThrow()));
            out.put("matmul 1024x688 @ 688x256", time(m, 20, sub -> b.matMul(w)));
            out.put("matmul 1024^3", time(m, 5, sub -> x.matMul(x)));
            out.put("softmax (8,4,128,128)", time(m, 20, sub -> s.softmax(-1)));
            time(m, 20, sub -> {                                   // lets the JIT compile DJL's per-op path
                NDArray last = null;
                for (int i = 0; i < 1000; i++) {
                    last = sub.ones(new Shape(1)).add(1);
                }
                return last;
            });
            out.put("add 1-elem x1000", time(m, 10, sub -> {
                NDArray last = null;
                for (int i = 0; i < 1000; i++) {
                    last = sub.ones(new Shape(1)).add(1);
                }
                return last;
            }));
        }
        return out;
    }

    private static Timing time(NDManager m, int n, java.util.function.Function<NDManager, NDArray> f) {
        try (NDManager warm = m.newSubManager()) {
            f.apply(warm).toFloatArray();
        }
        long c0 = TrainingThroughput.processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (NDManager sub = m.newSubManager()) {
                NDArray r = f.apply(sub);
                r.attach(sub);
                if (r.getDevice().isGpu()) {
                    r.get(0).toFloatArray();                    // waits for the GPU; CPU ops are synchronous
                }
            }
        }
        return new Timing((System.nanoTime() - t0) / 1e6 / n, (TrainingThroughput.processCpuNanos() - c0) / 1e6 / n);
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        run(threads).forEach((k, t) -> System.out.printf("%-30s wall %8.2f ms  cpu %8.2f ms%n", k, t.wallMs(), t.cpuMs()));
    }
}
