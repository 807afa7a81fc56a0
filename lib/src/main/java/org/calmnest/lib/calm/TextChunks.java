package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import org.calmnest.lib.data.Tokenizer;

/** Host-side helpers: text to padded (n, K) id chunks, and flat arrays to rows and back. */
final class TextChunks {

    private TextChunks() {
    }

    /** The text's ids (no EOS added) padded with PAD to a multiple of K, as n rows of K ids. */
    static int[][] chunk(Tokenizer tokenizer, String text, int k) {
        if (text == null) {
            throw new IllegalArgumentException("ChunkAutoencoder.encodeText: text is null; pass a non-empty string");
        }
        int[] ids = tokenizer.encode(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("ChunkAutoencoder.encodeText: text \"" + abbreviate(text)
                    + "\" encodes to 0 ids, so 0 chunks of K = " + k + "; pass text with at least one token");
        }
        int n = (ids.length + k - 1) / k;
        int[][] out = new int[n][k];
        for (int i = 0; i < n * k; i++) {
            out[i / k][i % k] = i < ids.length ? ids[i] : tokenizer.pad();
        }
        return out;
    }

    static void checkLatents(float[][] z, int l) {
        if (z == null || z.length == 0) {
            throw new IllegalArgumentException("ChunkAutoencoder.decode: no latent vectors (" + (z == null ? "null" : "0 rows")
                    + "); pass at least one vector of size " + l);
        }
        for (int i = 0; i < z.length; i++) {
            if (z[i] == null || z[i].length != l) {
                throw new IllegalArgumentException("ChunkAutoencoder.decode: latent vector " + i + " has size "
                        + (z[i] == null ? "null" : z[i].length) + "; every vector must have size l = " + l);
            }
        }
    }

    static int[] flatten(int[][] rows) {
        int k = rows[0].length;
        int[] out = new int[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * k, k);
        }
        return out;
    }

    static float[] flatten(float[][] rows) {
        int k = rows[0].length;
        float[] out = new float[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * k, k);
        }
        return out;
    }

    /** A (n, l) float array as n host rows. */
    static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int l = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][l];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * l, out[i], 0, l);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
