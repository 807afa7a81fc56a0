package org.calmnest.lib.nested;

/**
 * Settings of HOPE's self-modifying memory (NESTED.md section 4).
 *
 * @param heads     memory heads (d / heads = head width)
 * @param hidden    hidden width m of each memory MLP {@code M(z) = z + W1 σ(W2 z)}
 * @param chunk     chunk size C of the chunk-parallel update (1 = token by token)
 * @param etaMax    largest inner learning rate; eta_t = etaMax * sigmoid(.). Keep chunk * etaMax <= 1
 *                  so a chunk's summed erase term cannot overshoot
 * @param convWidth width of the short causal depthwise convolution before the memories (1 = none)
 */
public record HopeConfig(int heads, int hidden, int chunk, double etaMax, int convWidth) {

    public HopeConfig {
        req(heads >= 1, "heads", heads, "use at least 1 head");
        req(hidden >= 1, "hidden", hidden, "use a positive memory width such as 16");
        req(chunk >= 1, "chunk", chunk, "use 1 (token by token) or a chunk size such as 8");
        req(etaMax > 0 && etaMax * chunk <= 4, "etaMax", etaMax, "use a value in (0, 4 / chunk], e.g. 1 / chunk");
        req(convWidth >= 1 && convWidth <= 16, "convWidth", convWidth, "use 1 (no convolution) to 16, e.g. 4");
    }

    private static void req(boolean ok, String field, Object v, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("HopeConfig." + field + " = " + v + " is invalid: " + fix);
        }
    }

    /** 4 heads, memory width 16, chunks of 8 tokens, etaMax 1/8, convolution width 4. */
    public static HopeConfig tiny() {
        return new HopeConfig(4, 16, 8, 0.125, 4);
    }

    public HopeConfig withChunk(int v) {
        return new HopeConfig(heads, hidden, v, etaMax, convWidth);
    }

    public HopeConfig withHeads(int v) {
        return new HopeConfig(v, hidden, chunk, etaMax, convWidth);
    }

    public HopeConfig withConvWidth(int v) {
        return new HopeConfig(heads, hidden, chunk, etaMax, v);
    }
}
