package org.calmnest.lib.bench;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Generation speed with a KV cache: tokens per second of a long continuation and the latency of
 * the first token (prompt processing included), best of a few repetitions, for each generator at
 * the same backbone width.
 */
public final class GenerationBench {

    /**
     * @param name           label
     * @param tokensPerSecond new tokens / seconds of the long run
     * @param firstTokenMs   latency of a one-step generation, prompt included
     * @param tokens         tokens the long run produced
     */
    public record Row(String name, int d, double tokensPerSecond, double firstTokenMs, int tokens) {
    }

    /** Prompt length in tokens. */
    public static final int PROMPT = 16;
    /** New tokens of the long run (prompt + new stays inside the context of 128). */
    public static final int NEW = 108;

    private GenerationBench() {
    }

    /** Times {@code g}: first-token latency and long-run throughput, best of {@code reps}. */
    public static Row measure(String name, int d, IntFunction<Integer> g, int firstStep, int reps) {
        g.apply(firstStep); // warm-up
        double first = Double.MAX_VALUE;
        double best = Double.MAX_VALUE;
        int tokens = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            g.apply(firstStep);
            first = Math.min(first, (System.nanoTime() - t0) / 1e6);
            t0 = System.nanoTime();
            tokens = g.apply(NEW);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return new Row(name, d, tokens / best, first, tokens);
    }

    /** The Transformer baseline: one cached decoding step per token, temperature 1. */
    public static Row transformer(int d, Device device, int reps) {
        int[] prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = 'a' + i % 26;
        }
        try (TokenLm model = BenchModels.transformer(d, device)) {
            // the benchmark model has no EOS id, so every run generates exactly n tokens
            return measure("transformer", d, n -> model.generate(prompt, n, 1.0, BenchModels.SEED).length, 1, reps);
        }
    }

    /** Runs and writes the section. */
    public static List<Row> run(BenchOptions o, Device device, Report.Section s) {
        int reps = o.quick() ? 1 : 3;
        List<Row> rows = new ArrayList<>();
        for (int d : o.widths()) {
            rows.add(transformer(d, device, reps));
        }
        s.columns("generator", "d", "tokens/s", "first token ms", "tokens generated");
        for (Row r : rows) {
            s.row(r.name(), r.d(), TrainingBench.fmt(r.tokensPerSecond(), 1), TrainingBench.fmt(r.firstTokenMs(), 1), r.tokens());
            System.out.printf("  generation %s d=%d: %.1f tokens/s, first token %.1f ms%n", r.name(), r.d(),
                    r.tokensPerSecond(), r.firstTokenMs());
        }
        s.note("Prompt of " + PROMPT + " tokens, " + NEW + " new tokens, temperature 1, batch 1, KV cache; best of "
                + reps + " runs after a warm-up. Untrained weights (speed does not depend on them).");
        return rows;
    }
}
