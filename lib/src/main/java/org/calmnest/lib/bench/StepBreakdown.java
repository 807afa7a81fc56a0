package org.calmnest.lib.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;

/**
 * Where a Transformer training step's time goes in DJL: forward alone, forward + backward, and
 * the whole {@link org.calmnest.lib.train.Trainer} step (the difference is the optimiser: norm,
 * clip, AdamW, zeroing). {@code lib/bench/torch_step.py --breakdown} prints the same phases for
 * PyTorch, so a gap between the two can be placed in one phase.
 * Run: {@code ... exec:java -Dexec.mainClass=org.calmnest.lib.bench.StepBreakdown -Dexec.args="256 2"}.
 */
public final class StepBreakdown {

    /** Seconds per call (wall) and process CPU seconds per call of each phase. */
    public record Phases(double forward, double forwardBackward, double fullStep,
                         double forwardCpu, double forwardBackwardCpu, double fullStepCpu) {
        public double optimizer() {
            return fullStep - forwardBackward;
        }
    }

    private StepBreakdown() {
    }

    /** Measures the phases of the benchmark Transformer at width d, {@code n} repetitions each. */
    public static Phases measure(int d, Device device, int n) {
        Engine engine = TorchRuntime.engine();
        SyntheticBatches data = BenchModels.transformerBatches();
        TrainBatch batch = data.first();
        try (TokenLm model = BenchModels.transformer(d, device)) {
            NDManager root = model.block().getParameters().get(0).getValue().getArray().getManager();
            Runnable forward = () -> {                        // with autograd recording, as in PyTorch
                try (NDManager sub = root.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                    model.loss(sub, batch, true).getFloat();
                }
            };
            Runnable forwardBackward = () -> {
                try (NDManager sub = root.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                    NDArray loss = model.loss(sub, batch, true);
                    gc.backward(loss);
                    loss.getFloat();
                }
            };
            time(forwardBackward, n);                          // a first round lets the JIT finish compiling
            double[] f = time(forward, n);
            double[] fb = time(forwardBackward, n);
            TrainingThroughput.Result full = TrainingThroughput.measure(model, data, 1, n);
            return new Phases(f[0], fb[0], full.medianStepSeconds(), f[1], fb[1], full.cpuSecondsPerStep());
        }
    }

    /** {mean wall seconds, mean CPU seconds} per call after three warm-up calls (the JIT compiles the Java side). */
    private static double[] time(Runnable r, int n) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        long c0 = TrainingThroughput.processCpuNanos();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return new double[] {(System.nanoTime() - t0) / 1e9 / n, (TrainingThroughput.processCpuNanos() - c0) / 1e9 / n};
    }

    public static void main(String[] args) {
        int d = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        TorchRuntime.engine();
        JniUtils.setNumThreads(threads);
        Phases p = measure(d, TorchRuntime.device("auto"), n);
        System.out.printf("{\"side\": \"djl\", \"d\": %d, \"threads\": %d, \"forward_s\": %.4f, \"forward_backward_s\": %.4f, "
                        + "\"full_step_s\": %.4f, \"forward_cpu_s\": %.4f, \"forward_backward_cpu_s\": %.4f, \"full_step_cpu_s\": %.4f}%n",
                d, threads, p.forward(), p.forwardBackward(), p.fullStep(), p.forwardCpu(), p.forwardBackwardCpu(), p.fullStepCpu());
    }
}
