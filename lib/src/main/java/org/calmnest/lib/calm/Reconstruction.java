package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;

/**
 * How well decoded chunks match the originals, as counts that add up over batches.
 * Token accuracy counts only positions whose original id is not PAD (padding is trivially
 * reconstructed and would flatter the number); a chunk matches exactly when all K ids match.
 *
 * @param tokens        non-PAD target positions
 * @param correctTokens of those, how many were decoded right
 * @param chunks        chunks
 * @param exactChunks   chunks decoded right in all K positions
 */
public record Reconstruction(long tokens, long correctTokens, long chunks, long exactChunks) {

    /** Compares decoded ids (n, K) with the originals (n, K). */
    public static Reconstruction of(NDArray decoded, NDArray original, int pad) {
        long[] d = decoded.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        long[] o = original.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        int k = (int) original.getShape().get(1);
        long tokens = 0;
        long correct = 0;
        long exact = 0;
        for (int c = 0; c < o.length / k; c++) {
            boolean all = true;
            for (int j = c * k; j < (c + 1) * k; j++) {
                boolean ok = d[j] == o[j];
                all &= ok;
                if (o[j] != pad) {
                    tokens++;
                    if (ok) {
                        correct++;
                    }
                }
            }
            if (all) {
                exact++;
            }
        }
        return new Reconstruction(tokens, correct, o.length / k, exact);
    }

    public Reconstruction plus(Reconstruction o) {
        return new Reconstruction(tokens + o.tokens, correctTokens + o.correctTokens, chunks + o.chunks,
                exactChunks + o.exactChunks);
    }

    public static Reconstruction empty() {
        return new Reconstruction(0, 0, 0, 0);
    }

    /** Fraction of non-PAD tokens decoded right (1 when there are none). */
    public double tokenAccuracy() {
        return tokens == 0 ? 1.0 : (double) correctTokens / tokens;
    }

    /** Fraction of chunks decoded right in every position (1 when there are none). */
    public double chunkExactMatch() {
        return chunks == 0 ? 1.0 : (double) exactChunks / chunks;
    }
}
