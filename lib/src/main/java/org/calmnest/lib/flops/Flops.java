package org.calmnest.lib.flops;

import org.calmnest.lib.nn.BackboneConfig;

/**
 * Analytic FLOP counts (one multiply-add = 2 FLOPs) of the work the code actually does.
 *
 * <p>Per position and layer of the backbone, forward:
 * <pre>
 *   projections  2 * (3 d^2 + d^2)          q, k, v and output
 *   attention    2 * 2 * keys * d           q k^T and (softmax) v, over the keys the query sees
 *   SwiGLU       2 * 3 * d * ffInner        gate, up, down
 * </pre>
 * A full causal pass over T positions computes the whole masked T x T score matrix, so every
 * query is charged T keys; a cached decoding step at position p is charged p + 1 keys. Norms,
 * RoPE, softmax and residual additions are linear in d and left out (under 1 % here).
 * Training = 3 x forward (backward costs two forwards), as in Kaplan et al. and the CALM paper.
 */
public final class Flops {

    /** Backward + forward = 3 forward passes. */
    public static final double TRAINING_MULTIPLIER = 3.0;

    private Flops() {
    }

    /** A dense layer applied to one row: 2 * in * out. */
    public static double linear(long in, long out) {
        return 2.0 * in * out;
    }

    /** Weight FLOPs of one layer for one position: projections + SwiGLU (no attention scores). */
    public static double layerWeights(BackboneConfig c) {
        long d = c.d();
        return linear(d, 3 * d) + linear(d, d) + 3 * linear(d, c.ffInner());
    }

    /** Attention-score FLOPs of one query over {@code keys} keys in one layer: q k^T and a v. */
    public static double attention(BackboneConfig c, long keys) {
        return 2.0 * 2.0 * keys * c.d();
    }

    /** Forward FLOPs of one position of the backbone that attends over {@code keys} keys. */
    public static double backbonePosition(BackboneConfig c, long keys) {
        return c.layers() * (layerWeights(c) + attention(c, keys));
    }

    /** Forward FLOPs of a full causal pass over one sequence of {@code positions} positions. */
    public static double backboneForward(BackboneConfig c, long positions) {
        checkPositive(positions, "positions");
        return positions * backbonePosition(c, positions);
    }

    /** Forward FLOPs of one cached decoding step at 0-based {@code position} (attends position + 1 keys). */
    public static double backboneDecodeStep(BackboneConfig c, long position) {
        if (position < 0) {
            throw new IllegalArgumentException("Flops: position = " + position + ", use 0 or more");
        }
        return backbonePosition(c, position + 1);
    }

    /**
     * Mean forward FLOPs per cached decoding step over steps at positions {@code first .. last}
     * (inclusive): the backbone cost of generating from a prompt with a KV cache.
     */
    public static double meanBackboneDecodeStep(BackboneConfig c, long first, long last) {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("Flops: positions " + first + ".." + last + " are invalid; use 0 <= first <= last");
        }
        double meanKeys = (first + last) / 2.0 + 1;
        return c.layers() * (layerWeights(c) + 4.0 * meanKeys * c.d());
    }

    /** Parameters of the backbone (weights only, norms included). */
    public static long backboneParameters(BackboneConfig c) {
        long d = c.d();
        return c.layers() * (4 * d * d + 3 * d * c.ffInner() + 2 * d) + d;
    }

    /** Forward -> training (forward + backward). */
    public static double training(double forwardFlops) {
        return TRAINING_MULTIPLIER * forwardFlops;
    }

    private static void checkPositive(long v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException("Flops: " + name + " = " + v + ", use at least 1");
        }
    }
}
