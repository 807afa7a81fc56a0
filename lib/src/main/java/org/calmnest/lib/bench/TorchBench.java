package org.calmnest.lib.bench;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.nn.BackboneConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL against eager PyTorch on the same machine: the same Transformer (shapes, loss, clip, AdamW)
 * trained by the project's TokenLm + Trainer and by {@code lib/bench/torch_step.py}, with the same
 * thread count. The two sides alternate for {@code rounds} rounds so that a burst of load from
 * other processes hits both; each side's figure is its best round's median step time.
 * Ratio = DJL step time / PyTorch step time (1.00 = as fast; > 1 = DJL slower).
 */
public final class TorchBench {

    /** One width's comparison; {@code torchError} is non-null when the Python side did not run. */
    public record Row(int d, double djlStepSeconds, double torchStepSeconds, double djlCpuSeconds, double torchCpuSeconds,
                      String torchVersion, String torchError) {
        /** DJL wall time per step / PyTorch wall time per step. */
        public double ratio() {
            return djlStepSeconds / torchStepSeconds;
        }

        /** The same with process CPU time per step (all threads), robust to other load on the machine. */
        public double cpuRatio() {
            return djlCpuSeconds / torchCpuSeconds;
        }
    }

    private TorchBench() {
    }

    /** Where the script lives, relative to the repository root or to the lib module. */
    static Path script() {
        for (Path p : List.of(Path.of("lib/bench/torch_step.py"), Path.of("bench/torch_step.py"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("TorchBench: lib/bench/torch_step.py not found from " + Path.of("").toAbsolutePath()
                + "; run the benchmark from the repository root");
    }

    /** Compares one width. */
    public static Row compare(int d, Device device, BenchOptions o, int warmup, int steps, int rounds) {
        BackboneConfig b = BenchModels.backbone(d);
        List<String> cmd = new ArrayList<>(List.of(o.python(), script().toString(),
                "--d", "" + d, "--layers", "" + b.layers(), "--heads", "" + b.heads(), "--ffn", "" + b.ffInner(),
                "--vocab", "" + org.calmnest.lib.data.ByteTokenizer.VOCAB_SIZE, "--seq", "" + BenchModels.SEQ,
                "--batch", "" + BenchModels.BATCH, "--warmup", "" + warmup, "--steps", "" + steps,
                "--threads", "" + o.threads()));
        double djl = Double.MAX_VALUE;
        double torch = Double.MAX_VALUE;
        double djlCpu = Double.MAX_VALUE;
        double torchCpu = Double.MAX_VALUE;
        String version = "n/a";
        String error = null;
        for (int r = 0; r < rounds; r++) {
            try (TokenLm model = BenchModels.transformer(d, device)) {
                TrainingThroughput.Result t = TrainingThroughput.measure(model, BenchModels.transformerBatches(), warmup, steps);
                djl = Math.min(djl, t.medianStepSeconds());
                djlCpu = Math.min(djlCpu, t.cpuSecondsPerStep());
            }
            if (error != null) {
                continue;
            }
            ChildProcess.Outcome out = ChildProcess.run(cmd, 600);
            String json = out.lastJsonLine();
            if (!out.ok() || json == null) {
                String tail = out.output().strip();
                error = (out.timedOut() ? "timed out" : "exit " + out.exitCode()) + ": "
                        + tail.substring(Math.max(0, tail.length() - 300)).replace('\n', ' ');
                continue;
            }
            JsonObject j = JsonParser.parseString(json).getAsJsonObject();
            torch = Math.min(torch, j.get("median_step_s").getAsDouble());
            torchCpu = Math.min(torchCpu, j.get("cpu_s_per_step").getAsDouble());
            version = j.get("torch").getAsString() + ", " + j.get("threads").getAsInt() + " threads";
        }
        Row row = new Row(d, djl, error == null ? torch : Double.NaN, djlCpu, error == null ? torchCpu : Double.NaN, version, error);
        System.out.printf("  torch d=%d: DJL %.1f ms/step, PyTorch %.1f ms/step, ratio %.3f (CPU time ratio %.3f)%s%n", d,
                djl * 1e3, row.torchStepSeconds() * 1e3, row.ratio(), row.cpuRatio(), error == null ? "" : " (" + error + ")");
        return row;
    }

    /** Runs every width and writes the section. */
    public static List<Row> run(BenchOptions o, Device device, Report.Section s) {
        int warmup = o.quick() ? 1 : 4;                        // JIT warm-up on the Java side
        int steps = o.quick() ? 3 : 10;
        int rounds = o.quick() ? 1 : 2;
        List<Row> rows = new ArrayList<>();
        s.columns("d", "DJL ms/step", "PyTorch ms/step", "DJL ÷ PyTorch", "target ≤ 1.05", "CPU s/step DJL", "CPU s/step PyTorch",
                "CPU ratio", "PyTorch");
        for (int d : o.widths()) {
            Row r = compare(d, device, o, warmup, steps, rounds);
            rows.add(r);
            s.row(d, TrainingBench.fmt(r.djlStepSeconds() * 1e3, 1), TrainingBench.fmt(r.torchStepSeconds() * 1e3, 1),
                    TrainingBench.fmt(r.ratio(), 3), r.torchError() != null ? "not measured"
                            : r.ratio() <= 1.05 ? "met" : String.format("missed by %.0f %%", 100 * (r.ratio() - 1.05)),
                    TrainingBench.fmt(r.djlCpuSeconds(), 3), TrainingBench.fmt(r.torchCpuSeconds(), 3),
                    TrainingBench.fmt(r.cpuRatio(), 3), r.torchError() == null ? r.torchVersion() : "failed: " + r.torchError());
        }
        s.note("Same model on both sides: byte vocabulary (260), " + BenchModels.LAYERS + " layers, heads of width 64, "
                + "SwiGLU ≈ 8/3 d, batch " + BenchModels.BATCH + " x " + (BenchModels.SEQ + 1) + " ids, forward + backward + "
                + "global-norm clip + AdamW per step, " + o.threads() + " intra-op threads each side, " + rounds
                + " alternating round(s) of " + steps + " timed steps after " + warmup + " warm-up steps; the best round's "
                + "median counts. Java: TokenLm + Trainer (libtorch of the DJL native jar); Python: lib/bench/torch_step.py "
                + "(" + o.python() + ", Debian python3-torch). The two libtorch builds differ (version, BLAS), which is part of "
                + "what the ratio measures. CPU s/step = process CPU time of all threads per timed step (Java: JIT and GC "
                + "threads included), a second ratio that other load on the machine disturbs less than wall time.");
        breakdown(o, device, s, o.quick() ? 2 : 8);
        return rows;
    }

    /** Phase table: forward, forward + backward and the whole step on both sides, at every width. */
    static void breakdown(BenchOptions o, Device device, Report.Section s, int n) {
        StringBuilder t = new StringBuilder("Where the time goes (process CPU ms per call; wall ms in brackets; "
                + "the optimiser phase is the whole step minus forward + backward):\n\n"
                + "| d | phase | DJL | PyTorch | DJL ÷ PyTorch (CPU) |\n|---|---|---|---|---|\n");
        for (int d : o.widths()) {
            StepBreakdown.Phases p = StepBreakdown.measure(d, device, n);
            BackboneConfig b = BenchModels.backbone(d);
            ChildProcess.Outcome out = ChildProcess.run(List.of(o.python(), script().toString(), "--d", "" + d,
                    "--layers", "" + b.layers(), "--heads", "" + b.heads(), "--ffn", "" + b.ffInner(),
                    "--vocab", "" + org.calmnest.lib.data.ByteTokenizer.VOCAB_SIZE, "--seq", "" + BenchModels.SEQ,
                    "--batch", "" + BenchModels.BATCH, "--warmup", "3", "--steps", "" + n, "--threads", "" + o.threads(),
                    "--breakdown"), 600);
            JsonObject j = out.ok() && out.lastJsonLine() != null ? JsonParser.parseString(out.lastJsonLine()).getAsJsonObject() : null;
            double[][] djl = {{p.forwardCpu(), p.forward()}, {p.forwardBackwardCpu(), p.forwardBackward()},
                {p.fullStepCpu() - p.forwardBackwardCpu(), p.optimizer()}, {p.fullStepCpu(), p.fullStep()}};
            double[][] py = j == null ? null : new double[][] {
                {j.get("forward_cpu_s").getAsDouble(), j.get("forward_s").getAsDouble()},
                {j.get("forward_backward_cpu_s").getAsDouble(), j.get("forward_backward_s").getAsDouble()},
                {j.get("step_cpu_s").getAsDouble() - j.get("forward_backward_cpu_s").getAsDouble(),
                    j.get("step_s").getAsDouble() - j.get("forward_backward_s").getAsDouble()},
                {j.get("step_cpu_s").getAsDouble(), j.get("step_s").getAsDouble()}};
            String[] names = {"forward", "forward + backward", "optimiser (clip + AdamW + zero)", "whole step"};
            for (int i = 0; i < names.length; i++) {
                t.append("| ").append(d).append(" | ").append(names[i]).append(" | ").append(ms(djl[i])).append(" | ")
                        .append(py == null ? "n/a" : ms(py[i])).append(" | ")
                        .append(py == null ? "n/a" : TrainingBench.fmt(djl[i][0] / py[i][0], 3)).append(" |\n");
            }
            System.out.printf("  breakdown d=%d: DJL fwd %.1f / fwd+bwd %.1f / step %.1f CPU ms%s%n", d, 1e3 * djl[0][0],
                    1e3 * djl[1][0], 1e3 * djl[3][0], py == null ? " (PyTorch side failed)"
                            : String.format("; PyTorch %.1f / %.1f / %.1f", 1e3 * py[0][0], 1e3 * py[1][0], 1e3 * py[3][0]));
        }
        s.note(t.toString().strip());
        s.note("Forward alone records the autograd graph on both sides (as in training). " + n + " rounds after 3 warm-up "
                + "rounds, each running the three phases back to back (so they share the load of the moment); wall: median per "
                + "phase, CPU: mean per phase. Run it alone with StepBreakdown (Java) and "
                + "torch_step.py --breakdown (Python).");
    }

    private static String ms(double[] cpuWall) {
        return TrainingBench.fmt(cpuWall[0] * 1e3, 1) + " (" + TrainingBench.fmt(cpuWall[1] * 1e3, 1) + ")";
    }
}
