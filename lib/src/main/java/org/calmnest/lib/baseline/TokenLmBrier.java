package org.calmnest.lib.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * BrierLM of the discrete baseline on held-out blocks, with the same positions and n-grams as
 * CALM: in a block of L tokens, n-grams start at tokens {@code stride, 2 stride, ...} (stride = K
 * gives CALM's chunk boundaries; stride = 1 every token) and each sees the true tokens before it.
 *
 * <p>One cached pass over the block gives the exact next-token distributions; for each start,
 * two continuations of up to 4 tokens are sampled from the model (temperature 1) by decoding
 * from a prefix of the cache. With {@code exact = true} the accuracy term uses the exact
 * {@code 2 P(y_1..y_n)} (teacher-forced product of probabilities) and Brier-1's collision term the
 * exact {@code sum p²}; the longer collision terms always come from the two samples. With
 * {@code exact = false} it is the pure two-sample estimator CALM must use.
 */
public final class TokenLmBrier {

    private TokenLmBrier() {
    }

    /** Scores every block of the batches; PAD targets are never scored. */
    public static BrierLm.Result score(TokenLm lm, List<TrainBatch> blocks, int stride, boolean exact, long seed) {
        if (blocks == null || blocks.isEmpty()) {
            throw new IllegalArgumentException("TokenLmBrier: blocks is empty; pass held-out batches (BatchSource.validation())");
        }
        if (stride < 1) {
            throw new IllegalArgumentException("TokenLmBrier: stride = " + stride + ", use K (chunk boundaries) or 1 (every token)");
        }
        TorchRuntime.noGrad(); // evaluation only: never record an autograd graph
        BrierLm acc = new BrierLm(BrierLm.DEFAULT_MAX_N, lm.config().pad());
        Random rng = new Random(seed);
        for (TrainBatch b : blocks) {
            scoreBatch(lm, b, stride, exact, rng, acc);
        }
        return acc.result();
    }

    static void scoreBatch(TokenLm lm, TrainBatch batch, int stride, boolean exact, Random rng, BrierLm acc) {
        int rows = batch.rows();
        int len = batch.cols();
        int v = lm.config().vocabSize();
        int maxN = acc.maxN();
        if (len < 2) {
            throw new IllegalArgumentException("TokenLmBrier: blocks of " + len + " tokens; use at least 2");
        }
        int[] ids = batch.ids();
        try (NDManager m = lm.manager().newSubManager(); KvCache cache = lm.net().backbone().newCache(m)) {
            NDArray all = m.create(ids, new Shape(rows, len)).toType(DataType.INT64, false); // (B, L)
            NDArray logits = lm.net().logits(lm.parameterStore(), all.get(new NDIndex(":, 0:" + (len - 1))), cache); // (B, L-1, V)
            float[] logp = logits.logSoftmax(2).toType(DataType.FLOAT32, false).toFloatArray(); // row-major (B, L-1, V)
            for (int s = stride; s <= len - 1; s += stride) {
                int steps = Math.min(maxN, len - s); // tokens of the longest n-gram that fits
                int[][] samples = new int[2 * rows][steps]; // row b*2 + r
                for (int b = 0; b < rows; b++) {
                    for (int r = 0; r < 2; r++) {
                        samples[b * 2 + r][0] = draw(logp, ((long) b * (len - 1) + s - 1) * v, v, rng);
                    }
                }
                if (steps > 1) {
                    continueSamples(lm, cache, s, steps, samples, rng);
                }
                for (int b = 0; b < rows; b++) {
                    int[] truth = Arrays.copyOfRange(ids, b * len + s, b * len + s + steps);
                    if (exact) {
                        double[] prob = new double[steps];
                        double logProb = 0;
                        for (int i = 0; i < steps; i++) {
                            logProb += logp[(int) (((long) b * (len - 1) + s - 1 + i) * v + truth[i])];
                            prob[i] = Math.exp(logProb);
                        }
                        double[] sq = {sumSquares(logp, ((long) b * (len - 1) + s - 1) * v, v)};
                        acc.addExact(truth, prob, sq, samples[b * 2], samples[b * 2 + 1]);
                    } else {
                        acc.addSamples(truth, samples[b * 2], samples[b * 2 + 1]);
                    }
                }
            }
        }
    }

    /** Decodes tokens 2..steps of both samples of every row from the cache prefix of length s. */
    private static void continueSamples(TokenLm lm, KvCache cache, int s, int steps, int[][] samples, Random rng) {
        int n = samples.length;
        try (NDManager sm = lm.manager().newSubManager(); KvCache pre = cache.prefix(sm, s, 2)) {
            for (int j = 1; j < steps; j++) {
                int[] prev = new int[n];
                for (int i = 0; i < n; i++) {
                    prev[i] = samples[i][j - 1];
                }
                try (NDManager step = sm.newSubManager()) {
                    NDArray next = lm.net().logits(lm.parameterStore(), step.create(prev, new Shape(n, 1)), pre); // (2B, 1, V)
                    float[] lp = next.logSoftmax(2).toType(DataType.FLOAT32, false).toFloatArray();
                    int v = lm.config().vocabSize();
                    for (int i = 0; i < n; i++) {
                        samples[i][j] = draw(lp, (long) i * v, v, rng);
                    }
                }
            }
        }
    }

    private static int draw(float[] logp, long offset, int v, Random rng) {
        double u = rng.nextDouble();
        double c = 0;
        for (int i = 0; i < v; i++) {
            c += Math.exp(logp[(int) (offset + i)]);
            if (u < c) {
                return i;
            }
        }
        return v - 1; // rounding: the probabilities summed to slightly under 1
    }

    private static double sumSquares(float[] logp, long offset, int v) {
        double sq = 0;
        for (int i = 0; i < v; i++) {
            double p = Math.exp(logp[(int) (offset + i)]);
            sq += p * p;
        }
        return sq;
    }
}
