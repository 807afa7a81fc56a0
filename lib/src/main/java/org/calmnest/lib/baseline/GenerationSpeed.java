package org.calmnest.lib.baseline;

/**
 * Wall-clock generation speed of the baseline: tokens per second of {@link TokenLm#generate}
 * after a warm-up run, with and without the KV cache, measured back to back in one process so the
 * two numbers share the machine's conditions (report their ratio, not the absolute values).
 */
public final class GenerationSpeed {

    /**
     * @param newTokens       tokens generated per run (EOS is ignored: the count is what was produced)
     * @param seconds         total wall time of the timed runs
     * @param tokensPerSecond produced tokens / seconds
     * @param flopsPerToken   analytic forward FLOPs per generated token (backbone + head): one cached
     *                        decoding step, or without the cache a full pass over the sequence so far
     */
    public record Result(boolean cached, int runs, long newTokens, double seconds, double tokensPerSecond, double flopsPerToken) {
        @Override
        public String toString() {
            return String.format("%s: %.1f tokens/s (%d tokens in %.2f s, %.3g FLOPs/token)",
                    cached ? "KV cache" : "no cache", tokensPerSecond, newTokens, seconds, flopsPerToken);
        }
    }

    private GenerationSpeed() {
    }

    /** Generates {@code runs} times {@code newTokens} tokens (temperature 1, fixed seeds) after one warm-up run. */
    public static Result measure(TokenLm lm, int[] prompt, int newTokens, int runs, boolean cached) {
        if (runs < 1) {
            throw new IllegalArgumentException("GenerationSpeed: runs = " + runs + ", use at least 1");
        }
        lm.generate(prompt, newTokens, 1.0, 0, cached); // warm-up (native kernels, allocator)
        long produced = 0;
        long t0 = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            produced += lm.generate(prompt, newTokens, 1.0, 1 + r, cached).length;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double flops = lm.inferenceFlopsPerToken(prompt.length, newTokens);
        if (!cached) {
            flops = 0;
            for (int i = 0; i < newTokens; i++) {
                flops += lm.forwardFlops(prompt.length + i) / newTokens;
            }
        }
        return new Result(cached, runs, produced, s, produced / s, flops);
    }
}
