package org.calmnest.lib.experiments;

import org.calmnest.lib.baseline.GenerationSpeed;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmBrier;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.eval.Perplexity;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.CancellationToken;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.TrainListener;
import org.calmnest.lib.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The discrete baseline on europarl("en"), byte-level: trains a TokenLm for a wall-clock budget,
 * then reports held-out cross-entropy / bits per byte, BrierLM (n-grams at chunk boundaries of
 * K = 4 and at every token; exact-probability and pure two-sample estimators), samples at
 * T = 1, 0.5, 0.25, and generation tokens/s with and without the KV cache in the same run.
 *
 * <p>Run: {@code mvn -B -q -o -pl lib -am compile exec:java
 * -Dexec.mainClass=org.calmnest.lib.experiments.BaselineExperiment -Dexec.args="seconds=300 out=lib/results/baseline-run.md"}
 * (other keys: d, layers, heads, ff, block, rows, lr, seed, valBatches, threads = PyTorch intra-op
 * threads, default 1).
 */
public final class BaselineExperiment {

    private BaselineExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("BaselineExperiment: argument \"" + arg + "\" is not key=value, e.g. seconds=300");
            }
            a.put(kv[0], kv[1]);
        }
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "300"));
        int d = Integer.parseInt(a.getOrDefault("d", "128"));
        int layers = Integer.parseInt(a.getOrDefault("layers", "2"));
        int heads = Integer.parseInt(a.getOrDefault("heads", "4"));
        int ff = Integer.parseInt(a.getOrDefault("ff", String.valueOf(Math.round(d * 2.6875 / 8) * 8)));
        int block = Integer.parseInt(a.getOrDefault("block", "64"));
        int rows = Integer.parseInt(a.getOrDefault("rows", "16"));
        double lr = Double.parseDouble(a.getOrDefault("lr", "1e-3"));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        int valBatches = Integer.parseInt(a.getOrDefault("valBatches", "8"));
        Path out = a.containsKey("out") ? Path.of(a.get("out")) : null;
        // On a shared 2-core machine PyTorch's spinning intra-op threads collapse under contention
        // (measured 5-20x slower with 2 threads than with 1 at load 12); set before the engine starts.
        String threads = a.getOrDefault("threads", "1");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads);
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }

        StringBuilder md = new StringBuilder();
        md.append("## Baseline run ").append(Instant.now()).append("\n\n");
        md.append("- engine: ").append(TorchRuntime.info()).append("\n");
        Tokenizer tok = ByteTokenizer.create();
        long tParse = System.nanoTime();
        Corpus corpus = Corpus.europarl("en");
        BlockBatches data = new BlockBatches(corpus, tok, 4, block, rows, valBatches);
        md.append(String.format("- data: %s, byte-level (V=%d), blocks of %d tokens, %d rows/batch, %d train blocks, %d held-out batches (%.1f s to load)%n",
                corpus.name(), tok.vocabSize(), block, rows, data.trainBlocks(), data.validation().size(), (System.nanoTime() - tParse) / 1e9));
        BackboneConfig bb = new BackboneConfig(d, layers, heads, ff, block, 10000);
        TokenLmConfig cfg = TokenLmConfig.of(tok, bb);
        TrainConfig tc = TrainConfig.defaults(1_000_000).withMaxSeconds(seconds).withLearningRate(lr).withWarmupSteps(50)
                .withEvalEvery(200).withSeed(seed);
        try (TokenLm lm = TokenLm.create(cfg, seed)) {
            md.append(String.format("- model: %s, %,d parameters; AdamW lr %.1e (warm-up 50, constant), wd 0.1, clip 1.0; budget %.0f s%n%n",
                    lm.name(), lm.parameterCount(), lr, seconds));
            TrainListener progress = new TrainListener() {
                @Override
                public void onEval(EvalRecord r) {
                    System.out.printf("step %d  tokens %d  flops %.3g  held-out loss %.4f  %s%n", r.step(), r.tokens(), r.flops(), r.loss(), r.metrics());
                }
            };
            Trainer.Result res;
            long t0 = System.nanoTime();
            try (Trainer trainer = new Trainer(lm, tc)) {
                res = trainer.run(data, List.of(progress), new CancellationToken());
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            var last = res.steps().get(res.steps().size() - 1);
            md.append("### Training\n\n| steps | tokens | train FLOPs | seconds | tokens/s | last train loss |\n|---|---|---|---|---|---|\n");
            md.append(String.format("| %d | %,d | %.3g | %.0f | %.0f | %.4f |%n%n", last.step(), last.tokens(), last.flops(), trainSeconds,
                    last.tokens() / trainSeconds, last.loss()));
            md.append("Held-out curve (step, train FLOPs, loss nats/token, bits/byte):\n\n| step | FLOPs | loss | bpb |\n|---|---|---|---|\n");
            for (EvalRecord e : res.evals()) {
                md.append(String.format("| %d | %.3g | %.4f | %.4f |%n", e.step(), e.flops(), e.loss(), e.metrics().getOrDefault("bitsPerByte", Double.NaN)));
            }

            List<org.calmnest.lib.train.TrainBatch> val = data.validation();
            Perplexity.Result ppl = Perplexity.of(lm, val);
            md.append("\n### Held-out evaluation\n\n- ").append(ppl).append("\n");
            long tb = System.nanoTime();
            BrierLm.Result k4exact = TokenLmBrier.score(lm, val, 4, true, seed);
            double brierSeconds = (System.nanoTime() - tb) / 1e9;
            BrierLm.Result k4two = TokenLmBrier.score(lm, val, 4, false, seed);
            BrierLm.Result everyExact = TokenLmBrier.score(lm, val, 1, true, seed);
            md.append("- BrierLM, n-grams at chunk boundaries (stride K=4), exact accuracy term: ").append(k4exact)
                    .append(String.format(" (%.1f s)%n", brierSeconds));
            md.append("- BrierLM, stride 4, pure two-sample estimator (what CALM uses): ").append(k4two).append("\n");
            md.append("- BrierLM, every position (stride 1), exact accuracy term: ").append(everyExact).append("\n\n");

            md.append("### Samples (prompt \"The Commission\", up to " + (block - 14) + " new bytes, seed 1)\n\n");
            for (double t : new double[] {1.0, 0.5, 0.25}) {
                String text = lm.generateText(tok, "The Commission", Math.min(160, block - 14), t, 1);
                md.append(String.format("- T = %.2f: `%s`%n", t, text.replace("\n", " ").replace("`", "'")));
            }

            int[] prompt = tok.encode("The Commission");
            int newTokens = block - prompt.length;
            GenerationSpeed.Result cached = GenerationSpeed.measure(lm, prompt, newTokens, 5, true);
            GenerationSpeed.Result uncached = GenerationSpeed.measure(lm, prompt, newTokens, 5, false);
            md.append(String.format("%n### Generation speed (%d-token prompt, %d new tokens, 5 runs each, same process)%n%n", prompt.length, newTokens));
            md.append("- ").append(cached).append("\n- ").append(uncached).append("\n");
            md.append(String.format("- cache speed-up: %.2fx%n", cached.tokensPerSecond() / uncached.tokensPerSecond()));
        }
        System.out.println(md);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md.toString());
        }
    }
}
