package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;

import java.util.Arrays;
import java.util.List;

/**
 * BrierLM of a CALM model (CALM.md §3), likelihood-free, on held-out blocks: n-grams start at
 * token positions {@code stride, 2 stride, ...} of each block (stride a multiple of K, so they are
 * chunk boundaries) and see the true tokens before them, exactly as {@code TokenLmBrier} scores
 * the discrete baseline. At a boundary s = jK the backbone state h_{j-1} of the teacher-forced
 * pass gives two independent head samples, each decoded by the autoencoder to K tokens; when
 * K < 4 each sample is continued chunk by chunk (its own decoded chunk fed back through a copy of
 * the KV-cache prefix) until it has 4 tokens. {@code 1[x1 = y] + 1[x2 = y] - 1[x1 = x2]} is then
 * taken on the cumulative n-token matches, n = 1..4, and n-grams covering PAD are not scored.
 */
public final class CalmBrier {

    private CalmBrier() {
    }

    /**
     * @param blocks    held-out batches (rows of L tokens, L a multiple of K)
     * @param stride    tokens between scored n-gram starts, a positive multiple of K
     * @param ignoreId  the PAD id: n-grams whose true tokens contain it are not scored
     * @param seed      seeds the head noise
     */
    public static BrierLm.Result score(CalmModel model, List<TrainBatch> blocks, int stride, int ignoreId, long seed) {
        int k = model.config().chunkSize();
        if (blocks == null || blocks.isEmpty()) {
            throw new IllegalArgumentException("CalmBrier: blocks is empty; pass held-out batches (BatchSource.validation())");
        }
        if (stride < 1 || stride % k != 0) {
            throw new IllegalArgumentException("CalmBrier: stride = " + stride + " is not a positive multiple of K = " + k
                    + "; n-grams must start at chunk boundaries (use K, or a common multiple to compare models)");
        }
        TorchRuntime.seed(seed);
        BrierLm acc = new BrierLm(BrierLm.DEFAULT_MAX_N, ignoreId);
        for (TrainBatch b : blocks) {
            scoreBatch(model, b, stride, acc);
        }
        return acc.result();
    }

    private static void scoreBatch(CalmModel model, TrainBatch batch, int stride, BrierLm acc) {
        int k = model.config().chunkSize();
        int rows = batch.rows();
        int len = batch.cols();
        int c = model.chunksPerRow(batch);
        int maxN = acc.maxN();
        int[] ids = batch.ids();
        try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(m)) {
            NDArray chunks = model.chunkIds(m, batch); // (B, C, K)
            NDArray h = model.hidden(chunks.get(":, 0:" + (c - 1)), cache); // (B, C-1, d)
            for (int j = stride / k; j < c; j += stride / k) {
                int s = j * k; // first token of chunk j, predicted by h_{j-1}
                int steps = Math.min(maxN, len - s);
                int[][] samples = sampleContinuations(model, m, h.get(":, " + (j - 1)), cache, j, steps); // (2B, steps)
                for (int b = 0; b < rows; b++) {
                    int[] truth = Arrays.copyOfRange(ids, b * len + s, b * len + s + steps);
                    acc.addSamples(truth, samples[b * 2], samples[b * 2 + 1]);
                }
            }
        }
    }

    /**
     * Two samples per row of {@code steps} tokens each, continuing from chunk position j; row order
     * b * 2 + r. {@code hj} is (B, d), the state that predicts chunk j.
     */
    private static int[][] sampleContinuations(CalmModel model, NDManager m, NDArray hj, KvCache cache, int j, int steps) {
        int k = model.config().chunkSize();
        int rows = (int) hj.getShape().get(0);
        int[][] out = new int[2 * rows][steps];
        int rounds = (steps + k - 1) / k;
        try (NDManager sm = m.newSubManager()) {
            NDArray h = hj.repeat(0, 2); // (2B, d), rows b0, b0, b1, b1, ...
            KvCache pre = rounds > 1 ? cache.prefix(sm, j, 2) : null;
            try {
                for (int r = 0; r < rounds; r++) {
                    NDArray z = model.sampleHead(h, 1).reshape(2L * rows, model.config().latentDim()); // (2B, l)
                    NDArray dec = model.codec().decode(z).toType(DataType.INT64, false); // (2B, K)
                    long[] d = dec.toLongArray();
                    for (int i = 0; i < 2 * rows; i++) {
                        for (int t = 0; t < k && r * k + t < steps; t++) {
                            out[i][r * k + t] = (int) d[i * k + t];
                        }
                    }
                    if (r + 1 < rounds) {
                        h = model.hidden(dec.reshape(2L * rows, 1, k), pre).reshape(2L * rows, -1); // (2B, d)
                    }
                }
            } finally {
                if (pre != null) {
                    pre.close();
                }
            }
        }
        return out;
    }
}
