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
    public record Row(int d, double djlStepSeconds, double torchStepSeconds, String torchVersion, String torchError) {
        public double ratio() {
            return djlStepSeconds / torchStepSeconds;
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
        String version = "n/a";
        String error = null;
        for (int r = 0; r < rounds; r++) {
            try (TokenLm model = BenchModels.transformer(d, device)) {
                djl = Math.min(djl, TrainingThroughput.measure(model, BenchModels.transformerBatches(), warmup, steps)
                        .medianStepSeconds());
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
            version = j.get("torch").getAsString() + ", " + j.get("threads").getAsInt() + " threads";
        }
        Row row = new Row(d, djl, error == null ? torch : Double.NaN, version, error);
        System.out.printf("  torch d=%d: DJL %.1f ms/step, PyTorch %.1f ms/step, ratio %.3f%s%n", d, djl * 1e3,
                row.torchStepSeconds() * 1e3, row.ratio(), error == null ? "" : " (" + error + ")");
        return row;
    }

    /** Runs every width and writes the section. */
    public static List<Row> run(BenchOptions o, Device device, Report.Section s) {
        int warmup = o.quick() ? 1 : 3;
        int steps = o.quick() ? 3 : 12;
        int rounds = o.quick() ? 1 : 2;
        List<Row> rows = new ArrayList<>();
        s.columns("d", "DJL ms/step", "PyTorch ms/step", "DJL ÷ PyTorch", "target ≤ 1.05", "PyTorch");
        for (int d : o.widths()) {
            Row r = compare(d, device, o, warmup, steps, rounds);
            rows.add(r);
            s.row(d, TrainingBench.fmt(r.djlStepSeconds() * 1e3, 1), TrainingBench.fmt(r.torchStepSeconds() * 1e3, 1),
                    TrainingBench.fmt(r.ratio(), 3), r.torchError() != null ? "not measured"
                            : r.ratio() <= 1.05 ? "met" : String.format("missed by %.0f %%", 100 * (r.ratio() - 1.05)),
                    r.torchError() == null ? r.torchVersion() : "failed: " + r.torchError());
        }
        s.note("Same model on both sides: byte vocabulary (260), " + BenchModels.LAYERS + " layers, heads of width 64, "
                + "SwiGLU ≈ 8/3 d, batch " + BenchModels.BATCH + " x " + (BenchModels.SEQ + 1) + " ids, forward + backward + "
                + "global-norm clip + AdamW per step, " + o.threads() + " intra-op threads each side, " + rounds
                + " alternating round(s) of " + steps + " timed steps after " + warmup + " warm-up steps; the best round's "
                + "median counts. Java: TokenLm + Trainer (libtorch of the DJL native jar); Python: lib/bench/torch_step.py "
                + "(" + o.python() + ", Debian python3-torch). The two libtorch builds differ (version, BLAS), which is part of "
                + "what the ratio measures.");
        return rows;
    }
}
