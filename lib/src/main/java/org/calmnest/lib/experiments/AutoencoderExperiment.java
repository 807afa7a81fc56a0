package org.calmnest.lib.experiments;

import org.calmnest.lib.calm.AeDiagnostics;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.AutoencoderDiagnostics;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.data.ChunkBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Split;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the CALM chunk autoencoder on Europarl (English, byte-level, K = 4) under a wall-clock
 * budget and reports held-out reconstruction (from the mean and from sampled z), collapsed
 * dimensions, the robustness curve, training throughput and its FLOP efficiency relative to the
 * fp32 matmul peak measured in the same run.
 *
 * <p>Run (two steps; with -am exec:java would also run on the parent pom):
 * <pre>
 * mvn -B -q -o -pl lib -am compile
 * nice -n 10 mvn -B -q -o -pl lib exec:java -Dai.djl.pytorch.num_threads=1 \
 *   -Dexec.mainClass=org.calmnest.lib.experiments.AutoencoderExperiment \
 *   -Dexec.args="--minutes 14 --clip 0.5 --report lib/results/autoencoder-run.md"
 * </pre>
 * Options: --minutes M, --clip C|off, --config small|tiny|paper, --latent L, --dropLatent P,
 * --rows R (chunks per batch), --lr X, --warmup S, --seed N, --heldout B (held-out batches for the
 * diagnostics), --save FILE, --report FILE (appends a Markdown section).
 */
public final class AutoencoderExperiment {

    private AutoencoderExperiment() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        double minutes = Double.parseDouble(o.getOrDefault("minutes", "14"));
        AutoencoderConfig cfg = switch (o.getOrDefault("config", "small")) {
            case "tiny" -> AutoencoderConfig.tiny();
            case "paper" -> AutoencoderConfig.paper();
            case "small" -> AutoencoderConfig.small();
            default -> throw new IllegalArgumentException("--config " + o.get("config") + " is unknown: use small, tiny or paper");
        };
        String clip = o.getOrDefault("clip", "0.5");
        cfg = cfg.withKlClip("off".equals(clip) ? 0 : Double.parseDouble(clip));
        if (o.containsKey("latent")) {
            cfg = cfg.withLatentDim(Integer.parseInt(o.get("latent")));
        }
        if (o.containsKey("dropLatent")) {
            cfg = cfg.withDropLatent(Double.parseDouble(o.get("dropLatent")));
        }
        int rows = Integer.parseInt(o.getOrDefault("rows", "256"));
        double lr = Double.parseDouble(o.getOrDefault("lr", "1e-3"));
        long warmup = Long.parseLong(o.getOrDefault("warmup", "50"));
        long seed = Long.parseLong(o.getOrDefault("seed", "42"));
        int heldOutBatches = Integer.parseInt(o.getOrDefault("heldout", "64"));

        System.out.println(TorchRuntime.info());
        MatmulPeak.Result peakBefore = MatmulPeak.measure(new int[] {256, 512, 1024}, new int[0], 0.5);
        System.out.printf("matmul peak fp32 before training: %.1f GFLOP/s %s%n", peakBefore.peakFp32() / 1e9, peakBefore.fp32());

        Tokenizer tok = Tokenizers.bytes();
        Corpus corpus = Corpus.europarl("en");
        ChunkBatches data = new ChunkBatches(corpus, tok, cfg.chunkSize(), rows, 8, false);
        List<TrainBatch> heldOut = data.batches(Split.TEST, heldOutBatches);
        System.out.printf("corpus %s: %d training chunks; held-out (TEST split) %d batches%n", corpus.name(),
                data.trainChunks(), heldOut.size());

        TrainConfig tc = TrainConfig.defaults(10_000_000).withMaxSeconds(minutes * 60).withLearningRate(lr)
                .withWarmupSteps(warmup).withEvalEvery(100).withSeed(seed);
        List<StepRecord> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        Trainer.Result result;
        AeDiagnostics diag;
        long params;
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(cfg, tok, seed);
             Trainer trainer = new Trainer(ae, tc)) {
            params = ae.parameterCount();
            System.out.println(ae + " " + cfg);
            TrainListener progress = new TrainListener() {
                @Override
                public void onStep(StepRecord r) {
                    steps.add(r);
                    if (r.step() % 25 == 0) {
                        System.out.printf("step %5d  %6.0f s  loss %.4f  |g| %.3f  %.0f tok/s%n", r.step(), r.wallSeconds(),
                                r.loss(), r.gradNorm(), r.tokensPerSecond());
                    }
                }

                @Override
                public void onEval(EvalRecord e) {
                    System.out.printf("eval  step %5d  loss %.4f  %s%n", e.step(), e.loss(), e.metrics());
                }
            };
            result = trainer.run(data, List.of(progress), null);
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            diag = AutoencoderDiagnostics.run(ae, heldOut, seed);
            System.out.println(diag.summary());
            if (o.containsKey("save")) {
                ae.save(Path.of(o.get("save")));
                System.out.println("saved to " + o.get("save"));
            }
            MatmulPeak.Result peakAfter = MatmulPeak.measure(new int[] {256, 512, 1024}, new int[0], 0.5);
            double peak = Math.max(peakBefore.peakFp32(), peakAfter.peakFp32());
            StepRecord last = steps.get(steps.size() - 1);
            double tokensPerSecond = last.tokens() / last.wallSeconds();
            double flopsPerSecond = last.flops() / last.wallSeconds();
            System.out.printf("steps %d, tokens %d, %.0f s: %.0f tokens/s, %.2f GFLOP/s = %.1f%% of the fp32 matmul peak %.1f GFLOP/s (before %.1f, after %.1f)%n",
                    result.finalStep(), last.tokens(), last.wallSeconds(), tokensPerSecond, flopsPerSecond / 1e9,
                    100 * flopsPerSecond / peak, peak / 1e9, peakBefore.peakFp32() / 1e9, peakAfter.peakFp32() / 1e9);
            if (o.containsKey("report")) {
                report(Path.of(o.get("report")), args, cfg, params, rows, lr, result, last, trainSeconds, diag,
                        tokensPerSecond, flopsPerSecond, peakBefore.peakFp32(), peakAfter.peakFp32(), data.trainChunks());
            }
        }
    }

    private static void report(Path file, String[] args, AutoencoderConfig cfg, long params, int rows, double lr,
                               Trainer.Result result, StepRecord last, double trainSeconds, AeDiagnostics d,
                               double tps, double fps, double peakBefore, double peakAfter, int trainChunks) throws Exception {
        double peak = Math.max(peakBefore, peakAfter);
        StringBuilder sb = new StringBuilder();
        sb.append("\n### Run ").append(Instant.now()).append(" — `").append(String.join(" ", args)).append("`\n\n");
        sb.append("- machine: ").append(TorchRuntime.info()).append(", load average at end ")
                .append(String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
                .append("\n");
        sb.append("- model: ").append(cfg).append(", ").append(params).append(" parameters, byte tokenizer (V = 260)\n");
        sb.append(String.format("- training: %d steps of %d chunks (%d tokens incl. PAD per step), AdamW lr %.0e, %d tokens seen "
                        + "(%.2f epochs of %d training chunks), %.0f s wall (budget), final train loss %.4f%n",
                result.finalStep(), rows, rows * cfg.chunkSize(), lr, last.tokens(),
                (double) result.finalStep() * rows / trainChunks, trainChunks, last.wallSeconds(), last.loss()));
        sb.append(String.format("- held-out (TEST split, %d chunks, %d non-PAD tokens): token accuracy from mean **%.5f**, "
                        + "from sampled z **%.5f**; chunk exact match %.5f / %.5f%n",
                d.chunks(), d.tokens(), d.accuracyFromMean(), d.accuracyFromSample(), d.exactFromMean(), d.exactFromSample()));
        sb.append(String.format("- mean sigma %.4f; collapsed dims (mean KL < %.1f): **%d of %d**; mean KL per dim: min %.3f, median %.3f, max %.3f%n",
                d.meanSigma(), d.collapseThreshold(), d.collapsedDims(), cfg.latentDim(),
                Arrays.stream(d.meanKlPerDim()).min().orElse(0), median(d.meanKlPerDim()),
                Arrays.stream(d.meanKlPerDim()).max().orElse(0)));
        sb.append("- robustness (Gaussian noise std added to the mean -> token accuracy):");
        for (AeDiagnostics.NoisePoint p : d.robustness()) {
            sb.append(String.format(" %.2f→%.4f", p.std(), p.accuracy()));
        }
        sb.append("\n");
        sb.append(String.format("- throughput: %.0f tokens/s, %.2f GFLOP/s analytic training FLOPs = **%.1f%%** of the fp32 matmul "
                        + "peak %.1f GFLOP/s measured in the same run (before %.1f, after %.1f)%n",
                tps, fps / 1e9, 100 * fps / peak, peak / 1e9, peakBefore / 1e9, peakAfter / 1e9));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("appended to " + file);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("argument '" + args[i] + "' is not an option: use --name value pairs, e.g. --minutes 14");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
