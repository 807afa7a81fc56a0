package org.calmnest.lib.experiments;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmBrier;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.CalmBrier;
import org.calmnest.lib.calm.CalmConfig;
import org.calmnest.lib.calm.CalmGenerator;
import org.calmnest.lib.calm.CalmModel;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.calm.ChunkAutoencoderCodec;
import org.calmnest.lib.calm.TemperatureSampler;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;
import org.calmnest.lib.train.TrainableModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CALM (K = 1, 2, 4, 8) against the discrete Transformer with the same backbone on Europarl, on a
 * CPU: BrierLM against training FLOPs, generation speed, samples at three temperatures.
 *
 * <p>Every model sees the same byte-level block stream (documents padded to a multiple of the
 * least common multiple of the K values, so all chunkings align) for the same number of tokens, and
 * is scored at the same n-gram starts of the same held-out blocks with the two-sample estimator.
 * One autoencoder per K (latent l = latentPerK * K) is trained first (or loaded from the cache
 * directory, where the same command saved it) and frozen.
 *
 * <p>{@code mvn -B -q -o -pl lib -am compile exec:java -Dexec.mainClass=org.calmnest.lib.experiments.CalmExperiment
 * -Dexec.args="ks=1,2,4 tokens=300000"}; every setting is a {@code key=value} argument (see {@link Settings}).
 */
public final class CalmExperiment {

    /** The knobs, with defaults sized for a few minutes per model on a 2-core CPU. */
    record Settings(String lang, int[] ks, int d, int layers, int heads, int block, int rows, long tokens, int points,
                    int evalBatches, double aeSeconds, int aeDim, int latentPerK, double lr, long seed, int genTokens,
                    int genRepeats, int samples, Path cache, Path out) {

        static Settings parse(String[] args) {
            Map<String, String> a = new LinkedHashMap<>();
            for (String s : args) {
                for (String part : s.trim().split("\\s+")) {
                    if (part.isEmpty()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("CalmExperiment: argument \"" + part + "\" is not key=value, e.g. ks=1,2,4");
                    }
                    a.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            String[] kk = a.getOrDefault("ks", "1,2,4").split(",");
            int[] ks = new int[kk.length];
            for (int i = 0; i < kk.length; i++) {
                ks[i] = Integer.parseInt(kk[i].trim());
            }
            return new Settings(a.getOrDefault("lang", "en"), ks, i(a, "d", 128), i(a, "layers", 2), i(a, "heads", 4),
                    i(a, "block", 128), i(a, "rows", 8), Long.parseLong(a.getOrDefault("tokens", "200000")),
                    i(a, "points", 4), i(a, "evalBatches", 4), Double.parseDouble(a.getOrDefault("aeSeconds", "120")),
                    i(a, "aeDim", 128), i(a, "latentPerK", 16), Double.parseDouble(a.getOrDefault("lr", "1e-3")),
                    Long.parseLong(a.getOrDefault("seed", "1")), i(a, "genTokens", 96), i(a, "genRepeats", 3),
                    i(a, "samples", 64), Path.of(a.getOrDefault("cache", "lib/target/calm-experiment")),
                    Path.of(a.getOrDefault("out", "lib/target/calm-experiment/calm-run.md")));
        }

        private static int i(Map<String, String> a, String k, int def) {
            return Integer.parseInt(a.getOrDefault(k, String.valueOf(def)));
        }

        int dataK() {
            int l = 1;
            for (int k : ks) {
                l = l / gcd(l, k) * k;
            }
            return l;
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }

        BackboneConfig backbone(int context) {
            int ff = (int) Math.round(8.0 * d / 3 / 8) * 8; // about 2.7 d, a multiple of 8
            return new BackboneConfig(d, layers, heads, ff, context, 10000);
        }
    }

    /** One BrierLM measurement during a model's training. */
    record Point(String model, long tokens, double flops, double seconds, double trainLoss, BrierLm.Result brier) {
    }

    private static final String PROMPT = "Mr President, I ";

    public static void main(String[] args) throws IOException {
        Settings s = Settings.parse(args);
        StringBuilder md = new StringBuilder();
        Instant start = Instant.now();
        md.append("## Run ").append(start).append("\n\n");
        md.append("Settings: ").append(describe(s)).append("\n\n");
        md.append("Engine: ").append(TorchRuntime.info()).append("\n\n");
        Files.createDirectories(s.cache());
        Tokenizer tok = Tokenizers.bytes();
        Corpus corpus = Corpus.europarl(s.lang());
        int dataK = s.dataK();
        BlockBatches data = new BlockBatches(corpus, tok, dataK, s.block(), s.rows(), s.evalBatches());
        List<TrainBatch> evalBlocks = data.validation();
        long evalTokens = evalBlocks.stream().mapToLong(TrainBatch::tokens).sum();
        md.append("Data: europarl(\"").append(s.lang()).append("\"), bytes (V = ").append(tok.vocabSize())
                .append("), blocks of ").append(s.block()).append(" tokens padded per document to a multiple of ")
                .append(dataK).append("; ").append(data.trainBlocks()).append(" training blocks; held-out: ")
                .append(evalBlocks.size()).append(" batches, ").append(evalTokens).append(" tokens; n-grams scored every ")
                .append(dataK).append(" tokens.\n\n");
        log(md.toString());

        List<Point> points = new ArrayList<>();
        StringBuilder aeTable = new StringBuilder("| K | l | AE params | AE train s | held-out token acc. (mean) |\n|---|---|---|---|---|\n");
        Map<Integer, CalmModel> calms = new LinkedHashMap<>();
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            for (int k : s.ks()) {
                long t0 = System.nanoTime();
                ChunkAutoencoder ae = loadOrTrainAe(s, tok, corpus, k);
                toClose.add(ae);
                double acc = aeAccuracy(ae, asChunks(data, k));
                aeTable.append(String.format(Locale.ROOT, "| %d | %d | %d | %.0f | %.4f |%n", k, ae.latentDim(),
                        ae.parameterCount(), (System.nanoTime() - t0) / 1e9, acc));
                log("AE K=" + k + " accuracy " + acc);
                CalmConfig cc = CalmConfig.of(s.backbone(s.block() / k), k, ae.latentDim(), tok.vocabSize());
                CalmModel calm = CalmModel.create(cc, ChunkAutoencoderCodec.of(ae), s.seed());
                toClose.add(calm);
                calms.put(k, calm);
                points.addAll(train(s, calm, data, model -> CalmBrier.score(calm, evalBlocks, dataK, tok.pad(), s.seed())));
            }
            TokenLm lm = TokenLm.create(TokenLmConfig.of(tok, s.backbone(s.block())), s.seed());
            toClose.add(lm);
            points.addAll(train(s, lm, data, model -> TokenLmBrier.score(lm, evalBlocks, dataK, false, s.seed())));

            md.append("### Autoencoders (frozen during LM training)\n\n").append(aeTable).append('\n');
            md.append(modelTable(s, calms, lm));
            md.append(brierTable(points));
            CalmModel speedModel = calms.containsKey(4) ? calms.get(4) : calms.values().iterator().next();
            md.append(speed(s, tok, speedModel, lm));
            md.append(samples(s, tok, calms, lm));
        } finally {
            for (int i = toClose.size() - 1; i >= 0; i--) {
                try {
                    toClose.get(i).close();
                } catch (Exception e) {
                    log("close failed: " + e);
                }
            }
        }
        md.append(String.format(Locale.ROOT, "Total wall-clock: %.0f s.%n",
                java.time.Duration.between(start, Instant.now()).toMillis() / 1000.0));
        Files.createDirectories(s.out().toAbsolutePath().getParent());
        Files.writeString(s.out(), md.toString());
        System.out.println(md);
    }

    private static String describe(Settings s) {
        return String.format(Locale.ROOT, "ks=%s d=%d layers=%d heads=%d block=%d rows=%d tokens=%d points=%d evalBatches=%d "
                        + "aeSeconds=%.0f aeDim=%d latentPerK=%d lr=%g seed=%d genTokens=%d genRepeats=%d",
                java.util.Arrays.toString(s.ks()).replace(" ", ""), s.d(), s.layers(), s.heads(), s.block(), s.rows(),
                s.tokens(), s.points(), s.evalBatches(), s.aeSeconds(), s.aeDim(), s.latentPerK(), s.lr(), s.seed(),
                s.genTokens(), s.genRepeats());
    }

    static void log(String msg) {
        System.err.println("[calm-exp " + Instant.now() + "] " + msg);
    }

    // ------------------------------------------------------------------ autoencoders

    private static ChunkAutoencoder loadOrTrainAe(Settings s, Tokenizer tok, Corpus corpus, int k) throws IOException {
        AutoencoderConfig cfg = AutoencoderConfig.small().withChunkSize(k).withDim(s.aeDim())
                .withInner((int) Math.round(2.5 * s.aeDim())).withLatentDim(s.latentPerK() * k);
        Path file = s.cache().resolve(String.format(Locale.ROOT, "ae-%s-K%d-d%d-l%d-%.0fs-seed%d.bin",
                s.lang(), k, s.aeDim(), cfg.latentDim(), s.aeSeconds(), s.seed()));
        if (Files.exists(file)) {
            log("loading " + file);
            return ChunkAutoencoder.load(file, tok, k);
        }
        ChunkAutoencoder ae = ChunkAutoencoder.create(cfg, tok, s.seed());
        BatchSource chunks = asChunks(new BlockBatches(corpus, tok, s.dataK(), s.block(), 8, 4), k);
        TrainConfig tc = TrainConfig.defaults(1_000_000).withMaxSeconds(s.aeSeconds()).withLearningRate(1e-3)
                .withWarmupSteps(50).withSeed(s.seed());
        try (Trainer t = new Trainer(ae, tc)) {
            Trainer.Result r = t.run(chunks, List.of(), null);
            log("AE K=" + k + ": " + r.finalStep() + " steps, last loss " + r.lastLoss());
        }
        ae.save(file);
        return ae;
    }

    /**
     * The language models' own block stream cut into chunks of K (rows = chunks, cols = K), so the
     * autoencoder learns exactly the chunks the LM will ask it to encode, padding chunks included.
     */
    static BatchSource asChunks(BatchSource blocks, int k) {
        return new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long seed) {
                Iterator<TrainBatch> it = blocks.train(seed);
                return new Iterator<>() {
                    public boolean hasNext() { return it.hasNext(); }
                    public TrainBatch next() { return reshape(it.next(), k); }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                return blocks.validation().stream().map(b -> reshape(b, k)).toList();
            }
        };
    }

    private static TrainBatch reshape(TrainBatch b, int k) {
        return new TrainBatch(b.ids(), b.rows() * b.cols() / k, k, b.tokens(), b.bytes());
    }

    private static double aeAccuracy(ChunkAutoencoder ae, BatchSource chunks) {
        double hit = 0;
        long n = 0;
        for (TrainBatch b : chunks.validation()) {
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                hit += ae.evalMetrics(m, b).get("accuracy") * b.tokens();
                n += b.tokens();
            }
        }
        return hit / Math.max(1, n);
    }

    // ------------------------------------------------------------------ training and BrierLM

    interface Scorer {
        BrierLm.Result score(TrainableModel model);
    }

    private static List<Point> train(Settings s, TrainableModel model, BlockBatches data, Scorer scorer) {
        List<Point> out = new ArrayList<>();
        TrainConfig base = TrainConfig.defaults(1_000_000_000L).withLearningRate(s.lr()).withWarmupSteps(20).withSeed(s.seed());
        double seconds = 0;
        try (Trainer t = new Trainer(model, base)) {
            for (int p = 1; p <= s.points(); p++) {
                t.setConfig(base.withMaxTokens(s.tokens() * p / s.points()));
                long t0 = System.nanoTime();
                Trainer.Result r = t.run(data, List.of(), null);
                seconds += (System.nanoTime() - t0) / 1e9;
                BrierLm.Result b = scorer.score(model);
                out.add(new Point(model.name(), t.tokens(), t.flops(), seconds, r.lastLoss(), b));
                log(String.format(Locale.ROOT, "%s: %d tokens, %.3g FLOPs, %.0f s, loss %.4f, BrierLM %.3f %s",
                        model.name(), t.tokens(), t.flops(), seconds, r.lastLoss(), b.brierLm(), b));
            }
        }
        return out;
    }

    private static String modelTable(Settings s, Map<Integer, CalmModel> calms, TokenLm lm) {
        StringBuilder t = new StringBuilder("### Models\n\n| model | trainable params | head params | context | "
                + "train FLOPs / token | inference FLOPs / token |\n|---|---|---|---|---|---|\n");
        TrainBatch one = new TrainBatch(new int[s.block()], 1, s.block(), s.block(), 0);
        for (CalmModel c : calms.values()) {
            int k = c.config().chunkSize();
            int promptChunks = PROMPT.length() / k;
            t.append(String.format(Locale.ROOT, "| %s | %d | %d (%.0f %%) | %d chunks | %.3g | %.3g |%n", c.name(),
                    c.parameterCount(), c.headParameterCount(), 100.0 * c.headParameterCount() / c.parameterCount(),
                    c.config().backbone().context(), c.trainingFlops(one) / s.block(),
                    c.inferenceFlopsPerToken(Math.max(1, promptChunks), s.genTokens() / k)));
        }
        t.append(String.format(Locale.ROOT, "| %s | %d | - | %d tokens | %.3g | %.3g |%n%n", lm.name(), lm.parameterCount(),
                lm.config().backbone().context(), lm.trainingFlops(one) / s.block(),
                lm.inferenceFlopsPerToken(PROMPT.length(), s.genTokens())));
        return t.toString();
    }

    private static String brierTable(List<Point> points) {
        StringBuilder t = new StringBuilder("### BrierLM against training FLOPs (held-out, two-sample estimator)\n\n"
                + "| model | tokens | train FLOPs | train s | last train loss | Brier-1 | Brier-2 | Brier-3 | Brier-4 | BrierLM |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Point p : points) {
            t.append(String.format(Locale.ROOT, "| %s | %d | %.3g | %.0f | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f |%n",
                    p.model(), p.tokens(), p.flops(), p.seconds(), p.trainLoss(), p.brier().brier(1), p.brier().brier(2),
                    p.brier().brier(3), p.brier().brier(4), p.brier().brierLm()));
        }
        return t.append('\n').toString();
    }

    // ------------------------------------------------------------------ generation

    private static String speed(Settings s, Tokenizer tok, CalmModel calm, TokenLm lm) {
        int[] prompt = tok.encode(PROMPT);
        CalmGenerator gen = new CalmGenerator(calm, tok.pad(), -1); // no EOS stop: fixed lengths
        CalmGenerator.Options o = CalmGenerator.Options.sample(s.genTokens(), s.seed());
        gen.generate(prompt, o); // warm-up
        lm.generate(prompt, s.genTokens(), 1.0, s.seed());
        long calmTokens = 0;
        long lmTokens = 0;
        double calmSec = 0;
        double lmSec = 0;
        for (int r = 0; r < s.genRepeats(); r++) {
            long t0 = System.nanoTime();
            calmTokens += gen.generate(prompt, o.withSeed(s.seed() + r)).length;
            calmSec += (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            lmTokens += lm.generate(prompt, s.genTokens(), 1.0, s.seed() + r).length;
            lmSec += (System.nanoTime() - t0) / 1e9;
        }
        double calmRate = calmTokens / calmSec;
        double lmRate = lmTokens / lmSec;
        return String.format(Locale.ROOT, "### Generation speed (KV cache, T = 1, prompt \"%s\", %d new tokens, %d runs each, interleaved)%n%n"
                        + "| model | tokens | seconds | tokens/s |%n|---|---|---|---|%n| %s | %d | %.2f | %.1f |%n| %s | %d | %.2f | %.1f |%n%n"
                        + "Ratio CALM / baseline tokens/s (same run): **%.2f**.%n%n",
                PROMPT, s.genTokens(), s.genRepeats(), calm.name(), calmTokens, calmSec, calmRate, lm.name(), lmTokens, lmSec,
                lmRate, calmRate / lmRate);
    }

    private static String samples(Settings s, Tokenizer tok, Map<Integer, CalmModel> calms, TokenLm lm) {
        StringBuilder t = new StringBuilder("### Samples (prompt \"" + PROMPT + "\", " + s.samples() + " new tokens; CALM T < 1 "
                + "with the batch approximation, N = 200)\n\n");
        double[] temps = {1.0, 0.5, 0.25};
        for (CalmModel c : calms.values()) {
            CalmGenerator gen = new CalmGenerator(c, tok);
            for (double temp : temps) {
                CalmGenerator.Options o = CalmGenerator.Options.sample(s.samples(), s.seed()).withTemperature(temp)
                        .withMode(temp == 1.0 ? TemperatureSampler.Mode.EXACT : TemperatureSampler.Mode.BATCH).withCandidates(200);
                t.append(String.format(Locale.ROOT, "- %s, T = %.2f: `%s`%n", c.name(), temp, clean(gen.generate(tok, PROMPT, o))));
            }
        }
        for (double temp : temps) {
            t.append(String.format(Locale.ROOT, "- %s, T = %.2f: `%s`%n", lm.name(), temp,
                    clean(lm.generateText(tok, PROMPT, s.samples(), temp, s.seed()))));
        }
        return t.append('\n').toString();
    }

    private static String clean(String text) {
        return text.replace("\n", "\\n").replace("`", "'");
    }
}
