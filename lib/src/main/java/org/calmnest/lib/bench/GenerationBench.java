package org.calmnest.lib.bench;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLm;

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
}
