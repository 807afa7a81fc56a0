package org.calmnest.lib.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import org.calmnest.lib.runtime.TorchRuntime;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

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
            Report r = run(o, String.join(" ", args));
            keptAnalysis(o.out()).ifPresent(r::paragraph);
            r.write(o.out());
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

        List<String> targets = new ArrayList<>();
        MatmulBench.Result peak = MatmulBench.run(o, report.section("Matmul peak (the denominator)"));
        // 3 warm-up steps: the JIT compiles DJL's Java side meanwhile, and its threads share the cores
        int warmup = o.quick() ? 1 : 3;
        int steps = o.quick() ? 3 : 8;
        TrainingBench training = new TrainingBench(peak.peakFlops(), warmup, steps);
        boolean anyTraining = false;
        if (o.has("transformer")) {
            anyTraining = true;
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("transformer", d, "bytes, T = " + BenchModels.SEQ,
                        () -> BenchModels.transformer(d, device), BenchModels.transformerBatches()));
            }
        }
        if (o.has("ae")) {
            anyTraining = true;
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("autoencoder", d, "K = 4, l = 128",
                        () -> BenchModels.autoencoder(d, 4, device), BenchModels.autoencoderBatches(4)));
            }
        }
        if (o.has("cms")) {
            anyTraining = true;
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("cms", d, "levels 1/8/64",
                        () -> BenchModels.cms(d), BenchModels.transformerBatches()));
            }
        }
        if (o.has("hope")) {
            anyTraining = true;
            for (int d : o.widths()) {
                training.run(new TrainingBench.Case("hope", d, "chunk 8, CMS 1/8/64",
                        () -> BenchModels.hope(d), BenchModels.transformerBatches()), 1, 2); // HOPE steps take ~10x longer
            }
        }
        if (o.has("calm")) {
            anyTraining = true;
            CalmBench.training(o, device, training);
        }
        if (anyTraining) {
            Report.Section s = report.section("Training throughput and efficiency");
            training.writeTo(s);
            s.note("Each row: " + warmup + " untimed + " + steps + " timed optimiser steps through Trainer (AdamW, clip 1.0), "
                    + "batch " + BenchModels.BATCH + " rows of synthetic ids made before timing. tokens/s = tokens of the timed "
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
            training.rows().stream().filter(r -> r.c().model().equals("transformer") && r.c().width() == 512).findFirst()
                    .ifPresent(r -> targets.add(target("Backbone training at d = 512 ≥ 50 % of the matmul peak",
                            100 * r.result().efficiency(peak.peakFlops()), 50, "%")));
        }
        if (o.has("generation")) {
            Report.Section g = report.section("Generation: CALM K = 4 vs the Transformer (same backbone)");
            CalmBench.generation(o, device, g);
            targets.addAll(CalmBench.targets(g));
        }
        if (o.has("memory")) {
            MemoryBench.Result m = MemoryBench.run(o, device, report.section("Memory: no growth over training steps"));
            targets.add(String.format("| No memory growth: live NDArrays and RSS after %d steps = after %d steps | %d = %d arrays, "
                    + "RSS ratio %.3f | %s |", m.late(), m.early(), m.arraysLate(), m.arraysEarly(), m.rssRatio(),
                    m.arraysLate() == m.arraysEarly() && m.rssRatio() < 1.05 ? "met" : "missed"));
        }
        if (o.has("torch")) {
            for (TorchBench.Row r : TorchBench.run(o, device, report.section("DJL vs eager PyTorch (same model, same threads)"))) {
                if (r.torchError() == null) {
                    targets.add(String.format("| DJL within 5 %% of eager PyTorch per step, d = %d | DJL ÷ PyTorch = %.3f | %s |",
                            r.d(), r.ratio(), r.ratio() <= 1.05 ? "met" : String.format("missed by %.0f %%", 100 * (r.ratio() - 1.05))));
                }
            }
        }
        if (!targets.isEmpty()) {
            Report.Section t = report.section("Targets");
            t.note("| target | measured | status |\n|---|---|---|\n" + String.join("\n", targets));
        }
        return report;
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
