package org.calmnest.lib.bench;

import ai.djl.Device;
import org.calmnest.lib.calm.CalmConfig;
import org.calmnest.lib.calm.CalmGenerator;
import org.calmnest.lib.calm.CalmModel;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.calm.ChunkAutoencoderCodec;
import org.calmnest.lib.calm.TemperatureSampler;
import org.calmnest.lib.data.ByteTokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * CALM in the benchmark suite: training throughput for K = 1, 2, 4, 8 (each with its own frozen,
 * untrained chunk autoencoder: speed does not depend on the weights), generation speed of CALM
 * K = 4 against the Transformer with the same backbone, and the cost per chunk of the batch
 * temperature sampler (Algorithm 2 of the paper) at N = 50 and 200 candidates.
 */
public final class CalmBench {

    /** Chunk sizes of the training rows. */
    public static final int[] KS = {1, 2, 4, 8};
    /** Width of the frozen autoencoders (CALM.md's CPU configuration). */
    public static final int AE_WIDTH = 256;

    private CalmBench() {
    }

    /** A CALM model at width d over an untrained autoencoder with chunk size k; closing it closes both. */
    public static final class Pair implements AutoCloseable {
        public final ChunkAutoencoder ae;
        public final CalmModel model;

        Pair(int d, int k, Device device) {
            this.ae = BenchModels.autoencoder(AE_WIDTH, k, device);
            ChunkAutoencoderCodec codec = ChunkAutoencoderCodec.of(ae);
            CalmConfig c = CalmConfig.of(BenchModels.backbone(d), k, codec.latentDim(), codec.vocabSize());
            this.model = CalmModel.create(c, codec, BenchModels.SEED, device);
        }

        @Override
        public void close() {
            model.close();
            ae.close();
        }
    }

    /**
     * Batches for CALM with chunk size k: rows of (SEQ + 1) chunks, so the backbone sees SEQ input
     * positions per row as the Transformer does, and a row carries K times as many tokens.
     */
    public static SyntheticBatches batches(int k) {
        return new SyntheticBatches(256, BenchModels.BATCH, (BenchModels.SEQ + 1) * k, 4, BenchModels.SEED);
    }

    /** Adds the training rows (every K at every width) to {@code training}, calling {@code after} after each. */
    public static void training(BenchOptions o, Device device, TrainingBench training, Runnable after) {
        for (int d : o.widths()) {
            for (int k : KS) {
                Pair[] holder = new Pair[1];
                TrainingBench.Case c = new TrainingBench.Case("calm", d, "K = " + k + ", N = 8, M = 100", () -> {
                    holder[0] = new Pair(d, k, device);
                    return holder[0].model;
                }, batches(k));
                try {
                    training.run(c);
                } finally {
                    if (holder[0] != null) {
                        holder[0].ae.close();               // the bench closes the model itself
                    }
                }
                after.run();
            }
        }
    }

    /** Generation rows: CALM K = 4 and the Transformer at every width, and the sampler costs. */
    public static void generation(BenchOptions o, Device device, Report.Section s) {
        int reps = o.quick() ? 1 : 3;
        int[] prompt = new int[GenerationBench.PROMPT];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 'a' + i % 26;
        }
        List<GenerationBench.Row> rows = new ArrayList<>();
        List<String[]> sampler = new ArrayList<>();
        List<String[]> profile = new ArrayList<>();
        for (int d : o.widths()) {
            GenerationBench.Row t = GenerationBench.transformer(d, device, reps);
            rows.add(t);
            try (Pair p = new Pair(d, 4, device)) {
                // no EOS id (-1): every run produces exactly the asked number of tokens
                CalmGenerator g = new CalmGenerator(p.model, ByteTokenizer.PAD, -1);
                GenerationBench.Row c = GenerationBench.measure("calm K=4", d,
                        n -> g.generate(prompt, CalmGenerator.Options.sample(n, BenchModels.SEED)).length, 4, reps);
                rows.add(c);
                double exact = perChunkMs(g, prompt, CalmGenerator.Options.sample(GenerationBench.NEW, BenchModels.SEED), reps);
                for (int n : new int[]{50, 200}) {
                    CalmGenerator.Options b = CalmGenerator.Options.sample(GenerationBench.NEW, BenchModels.SEED)
                            .withTemperature(0.5).withMode(TemperatureSampler.Mode.BATCH).withCandidates(n);
                    double ms = perChunkMs(g, prompt, b, reps);
                    sampler.add(new String[]{"" + d, "batch, N = " + n + ", T = 1/2", TrainingBench.fmt(ms, 2),
                        TrainingBench.fmt(ms / exact, 2)});
                }
                sampler.add(new String[]{"" + d, "T = 1 (one head sample per chunk)", TrainingBench.fmt(exact, 2), "1.00"});
                CalmGenerator.StepProfile sp = g.profile(o.quick() ? 4 : 30);
                double perToken = 1000 / t.tokensPerSecond();
                profile.add(new String[]{"" + d, TrainingBench.fmt(sp.backboneMs(), 2), TrainingBench.fmt(sp.headMs(), 2),
                    TrainingBench.fmt(sp.decodeMs(), 2), TrainingBench.fmt(sp.totalMs(), 2), TrainingBench.fmt(perToken, 2),
                    TrainingBench.fmt(4 * perToken / sp.totalMs(), 2), TrainingBench.fmt(4 * perToken / sp.backboneMs(), 2)});
                System.out.printf("  generation d=%d: CALM K=4 %.1f tok/s vs Transformer %.1f tok/s (x%.2f)%n", d,
                        c.tokensPerSecond(), t.tokensPerSecond(), c.tokensPerSecond() / t.tokensPerSecond());
            }
        }
        s.columns("generator", "d", "tokens/s", "first token ms", "tokens generated", "÷ Transformer tokens/s");
        for (GenerationBench.Row r : rows) {
            double base = rows.stream().filter(x -> x.name().equals("transformer") && x.d() == r.d())
                    .findFirst().orElseThrow().tokensPerSecond();
            s.row(r.name(), r.d(), TrainingBench.fmt(r.tokensPerSecond(), 1), TrainingBench.fmt(r.firstTokenMs(), 1),
                    r.tokens(), TrainingBench.fmt(r.tokensPerSecond() / base, 2));
        }
        s.note("Prompt of " + GenerationBench.PROMPT + " tokens (4 chunks for CALM), " + GenerationBench.NEW
                + " new tokens, batch 1, KV cache, temperature 1; best of " + reps + " runs after a warm-up. CALM: one "
                + "backbone step over the chunk, one energy-head sample, one autoencoder decode per 4 tokens. First token = "
                + "prompt processing + the first step (CALM: the first chunk).");
        StringBuilder t = new StringBuilder("Temperature sampling cost per generated chunk (CALM K = 4):\n\n"
                + "| d | sampler | ms per chunk | ÷ T = 1 |\n|---|---|---|---|\n");
        for (String[] r : sampler) {
            t.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        s.note(t.toString().strip());
        StringBuilder p = new StringBuilder("Where a CALM K = 4 generation step goes (ms per chunk, medians of cached steps; "
                + "CalmGenerator.profile), against the Transformer's time per token from the table above:\n\n"
                + "| d | backbone step | energy head | AE decode | CALM chunk | Transformer token | 4 x token ÷ chunk "
                + "| bound if head + decode were free |\n|---|---|---|---|---|---|---|---|\n");
        for (String[] r : profile) {
            p.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        s.note(p.toString().strip());
    }

    /** Milliseconds per generated chunk (best of reps). */
    private static double perChunkMs(CalmGenerator g, int[] prompt, CalmGenerator.Options opt, int reps) {
        double best = Double.MAX_VALUE;
        int tokens = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            tokens = g.generate(prompt, opt).length;
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best / Math.max(1, tokens / 4.0);
    }

    /** The targets of this part, as Markdown rows. */
    public static List<String> targets(Report.Section generation) {
        List<String> out = new ArrayList<>();
        for (List<String> r : generation.rows()) {
            if (r.get(0).equals("calm K=4")) {
                double ratio = Double.parseDouble(r.get(5));
                out.add(String.format("| CALM K = 4 generation ≥ 3x the Transformer's tokens/s, d = %s | %.2fx | %s |", r.get(1),
                        ratio, ratio >= 3 ? "met" : String.format("missed: %.2fx of the target", ratio / 3)));
            }
        }
        return out;
    }
}
