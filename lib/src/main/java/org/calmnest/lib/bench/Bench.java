package org.calmnest.lib.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import org.calmnest.lib.runtime.TorchRuntime;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark suite, one command:
 * <pre>
 * mvn -B -q -o -pl lib compile exec:java -Dexec.mainClass=org.calmnest.lib.bench.Bench \
 *     -Dexec.args="all --widths 256,512"
 * </pre>
 * Names: {@code matmul transformer ae calm cms hope generation memory torch} (or {@code all});
 * options {@code --widths 256,512 --quick --device auto|cpu|gpu --threads N --out FILE --python EXE}.
 * It writes a Markdown report (default {@code lib/results/benchmarks.md}) with the machine, the
 * versions, the date and this command. Every speed figure is a ratio taken in the same run: the
 * efficiency divides by the matmul peak measured first, the PyTorch ratio alternates both sides.
 */
public final class Bench {

    private Bench() {
    }

    /** Text after this line in an existing report is hand-written analysis: regenerating keeps it. */
    public static final String KEEP_MARKER = "<!-- analysis below is written by hand and kept when the report is regenerated -->";

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
            java.util.Optional<String> kept = keptAnalysis(o.out());
            Consumer<Report> write = r -> r.trailer(kept.orElse(null)).write(o.out());
            write.accept(run(o, String.join(" ", args), write));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("wrote " + o.out().toAbsolutePath());
    }

    /**
     * Runs the benchmarks of {@code o} and returns the report (not yet written).
     *
     * @param argsText the arguments as typed, for the report's reproduction command
     * @throws IllegalArgumentException for a GPU requested where the engine sees none
     */
    public static Report run(BenchOptions o, String argsText) {
        return run(o, argsText, r -> { });
    }

    /**
     * As {@link #run(BenchOptions, String)}, handing the report to {@code checkpoint} after every
     * benchmark (the command line writes it each time, so an interrupted run still leaves its results).
     * The targets come first in the report; the cheap, decisive benchmarks run before the long ones.
     */
    public static Report run(BenchOptions o, String argsText, Consumer<Report> checkpoint) {
        TorchRuntime.engine();
        JniUtils.setNumThreads(o.threads());
        Device device = TorchRuntime.device(o.device());
        TorchRuntime.seed(BenchModels.SEED);
        MachineInfo machine = MachineInfo.detect(device.toString(), JniUtils.getNumThreads());
        Report report = new Report("calmnest benchmarks");
        report.paragraph("Reproduce (from the repository root):\n\n```\nmvn -B -q -o -pl lib compile exec:java "
                + "-Dexec.mainClass=org.calmnest.lib.bench.Bench -Dexec.args=\"" + argsText + "\"\n```");
        report.paragraph("Date: " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
                + ". Benchmarks: " + String.join(", ", o.names()) + (o.quick() ? " (**--quick**: smoke-test lengths, noisy)" : "")
                + ". The machine is shared with other processes; medians and best-of-rounds damp but do not remove that.");
        report.paragraph("Machine:\n\n" + machine.markdown());
        System.out.println("bench: " + o + " on " + machine.cpuModel() + ", " + machine.cores() + " cores");

        Map<String, String> targets = new LinkedHashMap<>();
        Report.Section targetSection = report.section("Targets");
        Runnable save = () -> {
            targetSection.clear().note(targets.isEmpty() ? "(no target measured so far in this run)"
                    : "| target | measured | status |\n|---|---|---|\n" + String.join("\n", targets.values()));
            checkpoint.accept(report);
        };
        MatmulBench.Result peak = MatmulBench.run(o, report.section("Matmul peak (the denominator)"));
        save.run();

        // 3 warm-up steps: the JIT compiles DJL's Java side meanwhile, and its threads share the cores
        int warmup = o.quick() ? 1 : 3;
        int steps = o.quick() ? 3 : 8;
        double rowSeconds = o.quick() ? 60 : 150;
        TrainingBench training = new TrainingBench(peak.peakFlops(), warmup, steps, rowSeconds);
        Report.Section trainingSection = List.of("transformer", "ae", "calm", "cms", "hope").stream().anyMatch(o::has)
                ? report.section("Training throughput and efficiency") : null;
        Runnable trained = () -> {
            trainingSection.clear();
            training.writeTo(trainingSection);
            trainingNotes(o, trainingSection, warmup, steps, rowSeconds);
            training.rows().stream().filter(r -> r.c().model().equals("transformer") && r.c().width() == 512).findFirst()
                    .ifPresent(r -> targets.put("efficiency", target("Backbone training at d = 512 ≥ 50 % of the matmul peak",
                            100 * r.result().efficiency(peak.peakFlops()), 50, "%")));
            save.run();
        };
        if (o.has("transformer")) {
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("transformer", d, "bytes, T = " + BenchModels.SEQ,
                        () -> BenchModels.transformer(d, device), BenchModels.transformerBatches()));
                trained.run();
            }
        }
        if (o.has("torch")) {
            for (TorchBench.Row r : TorchBench.run(o, device, report.section("DJL vs eager PyTorch (same model, same threads)"))) {
                if (r.torchError() == null) {
                    targets.put("torch" + r.d(), String.format("| DJL within 5 %% of eager PyTorch per step, d = %d | DJL ÷ PyTorch = "
                            + "%.3f (CPU time %.3f) | %s |", r.d(), r.ratio(), r.cpuRatio(),
                            r.ratio() <= 1.05 ? "met" : String.format("missed by %.0f %%", 100 * (r.ratio() - 1.05))));
                }
            }
            save.run();
        }
        if (o.has("optimizer")) {
            OptimizerBench.run(o, device, report.section("Optimiser phase: fused vs unfused AdamW"));
            save.run();
        }
        if (o.has("generation")) {
            Report.Section g = report.section("Generation: CALM K = 4 vs the Transformer (same backbone)");
            CalmBench.generation(o, device, g);
            List<String> t = CalmBench.targets(g);
            for (int i = 0; i < t.size(); i++) {
                targets.put("generation" + i, t.get(i));
            }
            save.run();
        }
        if (o.has("memory")) {
            MemoryBench.Result m = MemoryBench.run(o, device, report.section("Memory: no growth over training steps"));
            targets.put("memory", String.format("| No memory growth: live NDArrays and RSS after %d steps = after %d steps | %d = %d "
                    + "arrays, RSS ratio %.3f | %s |", m.late(), m.early(), m.arraysLate(), m.arraysEarly(), m.rssRatio(),
                    m.arraysLate() == m.arraysEarly() && m.rssRatio() < 1.05 ? "met" : "missed"));
            save.run();
        }
        if (o.has("ae")) {
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("autoencoder", d, "K = 4, l = 128",
                        () -> BenchModels.autoencoder(d, 4, device), BenchModels.autoencoderBatches(4)));
                trained.run();
            }
        }
        if (o.has("calm")) {
            CalmBench.training(o, device, training, trained);
        }
        if (o.has("cms")) {
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("cms", d, "levels 1/8/64",
                        () -> BenchModels.cms(d), BenchModels.transformerBatches()));
                trained.run();
            }
        }
        if (o.has("hope")) {
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("hope", d, "chunk 8, CMS 1/8/64",
                        () -> BenchModels.hope(d), BenchModels.transformerBatches()), 1, 2); // HOPE steps take ~10x longer
                trained.run();
            }
        }
        return report;
    }

    private static void trainingNotes(BenchOptions o, Report.Section s, int warmup, int steps, double rowSeconds) {
        s.note("Each row: " + warmup + " untimed + " + steps + " timed optimiser steps through Trainer (AdamW, clip 1.0), "
                + "or fewer timed steps when a row passes " + (int) rowSeconds + " s (see the timed column); batch "
                + BenchModels.BATCH + " rows of synthetic ids made before timing. tokens/s = tokens of the timed "
                + "steps / their wall time; achieved FLOP/s = the model's analytic trainingFlops (3 x forward) / wall time; "
                + "efficiency = achieved ÷ matmul peak. Peak RSS is the process's high-water mark while that row ran "
                + "(VmHWM, reset before each row); native = RSS − JVM committed memory after the row.");
        if (o.has("hope")) {
            s.note("HOPE rows: 1 untimed + 2 timed steps only (a HOPE step costs about ten Transformer steps here).");
        }
        if (o.has("calm")) {
            s.note("CALM rows: rows of 129 chunks of K tokens (128 backbone positions, as the Transformer's 128 tokens), "
                    + "so a step carries K times the tokens; FLOPs include the frozen autoencoder's encoder on the targets, "
                    + "the energy head's N = 8 samples and the energy score against M = 100 posterior samples "
                    + "(CalmModel.trainingFlops). The autoencoders are untrained (d = " + CalmBench.AE_WIDTH + ", l = 32 K).");
        }
    }

    /** The marker and everything after it in an existing report, if any. */
    static java.util.Optional<String> keptAnalysis(java.nio.file.Path report) {
        try {
            if (!java.nio.file.Files.isRegularFile(report)) {
                return java.util.Optional.empty();
            }
            String text = java.nio.file.Files.readString(report);
            int at = text.indexOf(KEEP_MARKER);
            return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(text.substring(at).strip());
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static String target(String what, double value, double goal, String unit) {
        return String.format("| %s | %.1f %s | %s |", what, value, unit,
                value >= goal ? "met" : String.format("missed: %.1f %s short (%.2fx of target)", goal - value, unit, value / goal));
    }
}
