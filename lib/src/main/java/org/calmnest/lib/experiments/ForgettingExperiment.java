package org.calmnest.lib.experiments;

import ai.djl.Device;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.eval.ForgettingMatrix;
import org.calmnest.lib.nested.ContinualLearning;
import org.calmnest.lib.nested.ContinualTask;
import org.calmnest.lib.nested.HopeConfig;
import org.calmnest.lib.nested.HopeModel;
import org.calmnest.lib.nested.NestedLm;
import org.calmnest.lib.nested.NestedLmConfig;
import org.calmnest.lib.nested.PairedBootstrap;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainableModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NESTED.md section 6 experiment on a CPU: byte-level Europarl, task A then task B (en -> de
 * and de -> en), no A data during B (or longer sequences such as en -> de -> fr: A is then the
 * first task, B the last, and the R matrices and ACC / BWT / FWT / F of every run are added); arms of equal size; several seeds; forgetting of A in bits
 * per byte (loss now minus best loss so far), B's final held-out loss, paired bootstrap intervals,
 * training throughput relative to the Transformer.
 *
 * <p>Run: {@code mvn -B -q -o -pl lib -am compile exec:java -Dexec.mainClass=org.calmnest.lib.experiments.ForgettingExperiment
 * -Dexec.args="steps=150 seeds=3 out=lib/results/nested-run.md"}. Arguments (key=value): steps per
 * task, evalEvery, seeds, arms (comma list), directions (e.g. en-de,de-en), rows, block, lr,
 * periods (e.g. 1-4-16), val (held-out batches per task), chunk (HOPE chunk size), d, heads,
 * device (auto, cpu, gpu, gpu:N), adam (fused = the Trainer's default; unfused = the reference
 * AdamW, as in the first session's runs), out.
 */
public final class ForgettingExperiment {

    private ForgettingExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>(Map.of("steps", "150", "evalEvery", "50", "seeds", "2",
                "arms", String.join(",", HopeModel.ARMS), "directions", "en-de,de-en", "rows", "8", "block", "65",
                "lr", "2e-3", "periods", "1-4-16", "out", "lib/results/nested-run.md"));
        a.put("val", "2");
        a.put("d", "64");
        a.put("heads", "4");
        a.put("chunk", "16");
        a.put("device", "auto");
        a.put("adam", "fused");
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 1 || !a.containsKey(s.substring(0, eq))) {
                throw new IllegalArgumentException("ForgettingExperiment: argument \"" + s + "\" is not key=value with a key in " + a.keySet());
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        long steps = Long.parseLong(a.get("steps"));
        int seeds = Integer.parseInt(a.get("seeds"));
        int rows = Integer.parseInt(a.get("rows"));
        int block = Integer.parseInt(a.get("block"));
        int[] periods = Arrays.stream(a.get("periods").split("-")).mapToInt(Integer::parseInt).toArray();
        List<String> arms = List.of(a.get("arms").split(","));
        List<String> directions = List.of(a.get("directions").split(","));
        for (String dir : directions) {
            String[] seq = dir.split("-");
            if (seq.length < 2 || Arrays.stream(seq).distinct().count() != seq.length) {
                throw new IllegalArgumentException("ForgettingExperiment: direction \"" + dir + "\" must name at least 2 different "
                        + "Europarl languages joined by '-', e.g. en-de or en-de-fr");
            }
        }
        Device device = TorchRuntime.device(a.get("device"));
        if (!a.get("adam").equals("fused") && !a.get("adam").equals("unfused")) {
            throw new IllegalArgumentException("ForgettingExperiment: adam = " + a.get("adam")
                    + " is unknown; use fused (the Trainer's default kernel) or unfused (the reference AdamW of the first session's runs)");
        }
        boolean unfused = a.get("adam").equals("unfused");

        ByteTokenizer tok = ByteTokenizer.create();
        int d = Integer.parseInt(a.get("d"));
        int heads = Integer.parseInt(a.get("heads"));
        BackboneConfig bb = new BackboneConfig(d, 2, heads, 3 * d, block - 1, 10000);
        int m = HopeModel.matchedMemoryWidth(bb, heads, 4);
        int chunk = Integer.parseInt(a.get("chunk"));
        HopeConfig hope = new HopeConfig(heads, m, chunk, 1.0 / chunk, 4);
        TrainConfig train = TrainConfig.defaults(steps).withLearningRate(Double.parseDouble(a.get("lr")))
                .withWarmupSteps(20).withWeightDecay(0.0).withGradClip(1.0);
        ContinualLearning.Config cc = new ContinualLearning.Config(steps, Long.parseLong(a.get("evalEvery")), train);

        Map<String, ContinualTask> taskOf = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        log.append("# nested forgetting run ").append(Instant.now()).append("\n\nargs: ").append(a).append("\n\n");
        log.append("engine: ").append(TorchRuntime.info()).append("\n\n");
        for (String dir : directions) {
            for (String lang : dir.split("-")) {
                taskOf.computeIfAbsent(lang, l -> {
                    Corpus c = Corpus.europarl(l);
                    BlockBatches bbs = new BlockBatches(c, tok, 1, block, rows, Integer.parseInt(a.get("val")));
                    log.append(String.format("task %s: %d documents, %d training blocks of %d bytes, %d held-out batches%n",
                            l, c.size(), bbs.trainBlocks(), block, bbs.validation().size()));
                    return new ContinualTask(l, bbs);
                });
            }
        }
        log.append("\n| direction | arm | seed | params | A bpb after A | A bpb after B | forgetting A | B bpb after B | A acc after A | A acc after B | tok/s |\n");
        log.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Double>> forgetting = new LinkedHashMap<>();
        Map<String, List<Double>> finalB = new LinkedHashMap<>();
        Map<String, List<Double>> tps = new LinkedHashMap<>();
        List<String> curves = new ArrayList<>();
        Map<String, Map<String, List<ContinualLearning.Result>>> multi = new LinkedHashMap<>();   // direction -> arm -> runs
        StringBuilder multiRuns = new StringBuilder();
        for (int seed = 1; seed <= seeds; seed++) {
            for (String dir : directions) {
                String[] seq = dir.split("-");
                List<ContinualTask> tasks = Arrays.stream(seq).map(taskOf::get).toList();
                int last = seq.length - 1;                     // A = the first task, B = the last one
                for (String arm : arms) {
                    NestedLmConfig cfg = HopeModel.arm(arm, tok.vocabSize(), tok.pad(), bb, periods, hope);
                    ContinualLearning.Result r;
                    long params;
                    try (NestedLm lm = new NestedLm(cfg, seed, device)) {
                        params = lm.parameterCount();
                        TrainConfig ts = train.withSeed(seed);
                        TrainableModel model = unfused ? new ForgettingExperimentUnfused(lm, ts) : lm;
                        r = ContinualLearning.run(model, tasks, new ContinualLearning.Config(cc.stepsPerTask(), cc.evalEvery(), ts));
                    }
                    ForgettingMatrix bpb = r.bitsPerByteMatrix();
                    double f = bpb.forgetting(0, last);
                    forgetting.computeIfAbsent(arm, k -> new ArrayList<>()).add(f);
                    finalB.computeIfAbsent(arm, k -> new ArrayList<>()).add(bpb.get(last, last));
                    tps.computeIfAbsent(arm, k -> new ArrayList<>()).add(r.tokensPerSecond());
                    String row = String.format("| %s | %s | %d | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.0f |",
                            dir, arm, seed, params, bpb.get(0, 0), bpb.get(last, 0), f, bpb.get(last, last),
                            r.accuracy()[0][0], r.accuracy()[last][0], r.tokensPerSecond());
                    log.append(row).append('\n');
                    System.out.println(row);
                    StringBuilder c = new StringBuilder(dir + " " + arm + " seed " + seed + ":");
                    for (ContinualLearning.Point p : r.curve()) {
                        c.append(String.format(" (%d,%s,%.3f)", p.step(), r.tasks().get(p.evalTask()), p.bitsPerByte()));
                    }
                    curves.add(c.toString());
                    if (seq.length > 2) {
                        multi.computeIfAbsent(dir, k -> new LinkedHashMap<>()).computeIfAbsent(arm, k -> new ArrayList<>()).add(r);
                        multiRuns.append(ForgettingExperimentTables.run(dir, arm, seed, r));
                    }
                    Files.writeString(Path.of(a.get("out")), log + summary(arms, forgetting, finalB, tps, curves)
                            + multiTask(multi, multiRuns) + "\n(running...)\n");
                }
            }
        }
        log.append(summary(arms, forgetting, finalB, tps, curves)).append(multiTask(multi, multiRuns));
        Files.writeString(Path.of(a.get("out")), log.toString());
        System.out.println(log);
    }

    /** Paired analysis over the complete pairs so far, throughput, curves. */
    private static String summary(List<String> arms, Map<String, List<Double>> forgetting, Map<String, List<Double>> finalB,
                                  Map<String, List<Double>> tps, List<String> curves) {
        StringBuilder log = new StringBuilder();
        int pairs = arms.stream().mapToInt(x -> forgetting.getOrDefault(x, List.of()).size()).min().orElse(0);
        log.append("\n## Paired differences (pairs = seed x direction, " + pairs + " complete), 95% bootstrap intervals\n\n");
        log.append("Mean forgetting of A (bpb) per arm over the complete pairs:");
        for (String arm : arms) {
            if (forgetting.containsKey(arm) && pairs > 0) {
                log.append(String.format(" %s %.4f;", arm, mean(forgetting.get(arm).subList(0, pairs))));
            }
        }
        log.append("\n\n");
        log.append("| arm | vs | forgetting of A: diff (relative) | final B bpb: diff (relative) |\n|---|---|---|---|\n");
        for (String arm : pairs >= 2 ? arms : List.<String>of()) {
            for (String ctl : List.of("transformerK", "lrMatched", "transformer", "hopeK")) {
                if (arm.equals(ctl) || !forgetting.containsKey(ctl)) {
                    continue;
                }
                PairedBootstrap.Interval fi = PairedBootstrap.of(arr(forgetting.get(arm).subList(0, pairs)), arr(forgetting.get(ctl).subList(0, pairs)), 10000, 7);
                PairedBootstrap.Interval bi = PairedBootstrap.of(arr(finalB.get(arm).subList(0, pairs)), arr(finalB.get(ctl).subList(0, pairs)), 10000, 7);
                log.append("| ").append(arm).append(" | ").append(ctl).append(" | ").append(fi).append(" | ").append(bi).append(" |\n");
            }
        }
        log.append("\n## Throughput relative to the Transformer (same run)\n\n| arm | tokens/s | relative |\n|---|---|---|\n");
        double ref = tps.containsKey("transformer") ? mean(tps.get("transformer")) : Double.NaN;
        for (String arm : arms) {
            if (tps.containsKey(arm)) {
                log.append(String.format("| %s | %.0f | %.2f |%n", arm, mean(tps.get(arm)), mean(tps.get(arm)) / ref));
            }
        }
        log.append("\n## Held-out bits per byte curves (step, task, bpb)\n\n```\n");
        curves.forEach(c -> log.append(c).append('\n'));
        log.append("```\n");
        return log.toString();
    }

    /** R matrices and metrics of the runs over 3 or more tasks (empty when there are none). */
    private static String multiTask(Map<String, Map<String, List<ContinualLearning.Result>>> multi, StringBuilder runs) {
        if (multi.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        multi.values().forEach(byArm -> sb.append(ForgettingExperimentTables.means(byArm)));
        return sb.append("\n## R matrices per run (rows: after training task i; untrained = baseline b_j)\n").append(runs).toString();
    }

    private static double[] arr(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

}
