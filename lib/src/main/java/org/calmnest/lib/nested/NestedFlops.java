package org.calmnest.lib.nested;

import org.calmnest.lib.flops.Flops;
import org.calmnest.lib.nn.BackboneConfig;

/**
 * Analytic FLOP counts of {@link NestedLm} (one multiply-add = 2 FLOPs), in the conventions of
 * {@link Flops}: matmul work only (norms, RoPE, softmax, gates, the causal convolution and
 * residual additions are linear in d and left out); a full causal pass charges every query all
 * T keys; training = 3 x forward. Forward FLOPs of one sequence of T positions:
 * <pre>
 *   embedding     0                                 a table lookup (gather), not a matmul
 *   per layer     mixer(T) + T * ff
 *     attention   T * 2 (3 d² + d²) + T * 4 T d     q, k, v, output; q kᵀ and (softmax) v
 *     HOPE        T * 2 * 2 d²                      W_q, W_o
 *                 + 2 * 5 H [T (10 dh m + dh² + m²) + nChunks dh m (m + dh)]
 *     ff          SwiGLU: 2 * 3 d ffInner;  CMS: levels * 2 * 3 d inner
 *   head          T * 2 d V                         the output projection (untied)
 * </pre>
 * HOPE's memory term counts, for each of the 5 memories and H heads, per token: the read
 * M(z) = z + W1 silu(W2 z) (2 dh m), the read of its own target vhat = M(v) (2 dh m), the DGD
 * step's W2 k (dh m) and hand-written inner gradients (5 dh m: p, W1 h, g1, W1ᵀ r, g2), the
 * erase outer products k̂ k̂ᵀ (dh²) and ĥ ĥᵀ (m²); per chunk, W1 (ĥ ĥᵀ) (dh m²) and
 * W2 (k̂ k̂ᵀ) (m dh²). nChunks = ceil(T / chunk): the code also updates after the last chunk.
 * The CMS periods change which parameters the optimiser steps, not the forward/backward work,
 * so every arm with the same shapes has the same count.
 */
public final class NestedFlops {

    private NestedFlops() {
    }

    /** Training FLOPs of a batch of {@code rows} sequences of {@code positions} predicted positions. */
    public static double training(NestedLmConfig config, long rows, long positions) {
        if (rows < 1) {
            throw new IllegalArgumentException("NestedFlops: rows = " + rows + ", use at least 1 sequence");
        }
        return Flops.training(rows * forward(config, positions));
    }

    /** Forward FLOPs of one sequence of {@code positions} positions. */
    public static double forward(NestedLmConfig config, long positions) {
        if (positions < 1) {
            throw new IllegalArgumentException("NestedFlops: positions = " + positions + ", use at least 1 (a row of T + 1 ids predicts T)");
        }
        BackboneConfig b = config.backbone();
        double mixer = config.mixer() == NestedLmConfig.Mixer.ATTENTION
                ? attention(b, positions) : hopeMemory(b.d(), config.hope(), positions);
        double layer = mixer + positions * feedForward(config);
        return b.layers() * layer + positions * Flops.linear(b.d(), config.vocabSize());
    }

    /** Softmax attention over T positions: projections and the full causal score matrix. */
    static double attention(BackboneConfig b, long positions) {
        long d = b.d();
        return positions * (Flops.linear(d, 3 * d) + Flops.linear(d, d) + Flops.attention(b, positions));
    }

    /** The feed-forward of one position: one SwiGLU of width ffInner, or the CMS levels. */
    static double feedForward(NestedLmConfig config) {
        long d = config.backbone().d();
        CmsConfig cms = config.cms();
        return cms == null ? 3 * Flops.linear(d, config.backbone().ffInner()) : cms.levels() * 3 * Flops.linear(d, cms.inner());
    }

    /** HOPE's self-modifying memory over T positions (W_q, W_o, and the 5 H in-context memories). */
    static double hopeMemory(int d, HopeConfig hope, long positions) {
        long dh = d / hope.heads();
        long m = hope.hidden();
        long chunks = (positions + hope.chunk() - 1) / hope.chunk();
        double perToken = 10.0 * dh * m + dh * dh + m * m;                 // multiply-adds per memory and head
        double perChunk = (double) dh * m * (m + dh);
        double memories = 2.0 * SelfModifyingMemory.MEMORIES * hope.heads() * (positions * perToken + chunks * perChunk);
        return positions * 2 * Flops.linear(d, d) + memories;
    }
}
