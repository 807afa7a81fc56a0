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
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

import java.util.Arrays;

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

    /**
     * Measures the phases of the benchmark Transformer at width d: {@code n} rounds, each timing one
     * forward, one forward + backward and one whole Trainer step back to back, so that every phase
     * sees the same load from other processes. Wall time: median per phase; CPU time: total per
     * phase over the rounds / n (the JVM's process CPU clock is too coarse for single calls).
     */
    public static Phases measure(int d, Device device, int n) {
        Engine engine = TorchRuntime.engine();
        SyntheticBatches data = BenchModels.transformerBatches();
        TrainBatch batch = data.first();
        try (TokenLm model = BenchModels.transformer(d, device);
             Trainer trainer = new Trainer(model, TrainConfig.defaults(1).withWarmupSteps(0))) {
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
            Runnable step = () -> {
                trainer.setConfig(trainer.config().withSteps(trainer.step() + 1));
                trainer.run(data, null, null);
            };
            Runnable[] phases = {forward, forwardBackward, step};
            double[][] wall = new double[3][n];
            long[] cpu = new long[3];
            for (int round = -3; round < n; round++) {          // 3 warm-up rounds: the JIT compiles the Java side
                for (int p = 0; p < 3; p++) {
                    long c0 = TrainingThroughput.processCpuNanos();
                    long t0 = System.nanoTime();
                    phases[p].run();
                    if (round >= 0) {
                        wall[p][round] = (System.nanoTime() - t0) / 1e9;
                        cpu[p] += TrainingThroughput.processCpuNanos() - c0;
                    }
                }
            }
            return new Phases(median(wall[0]), median(wall[1]), median(wall[2]),
                    cpu[0] / 1e9 / n, cpu[1] / 1e9 / n, cpu[2] / 1e9 / n);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
