package org.calmnest.lib.data;

import java.util.Arrays;
import java.util.List;

/**
 * K-aligned document layout for CALM: a document's ids, then EOS, then PAD up to the next multiple
 * of K. A chunk of K ids therefore never straddles two documents and padding only ever sits at the
 * end of a document (fewer than K PADs, so no chunk is all padding):
 * {@code len(doc) = K * ceil((n + 1) / K)} for n text ids.
 */
public final class Chunker {

    private final Tokenizer tokenizer;
    private final int k;

    public Chunker(Tokenizer tokenizer, int k) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("Chunker: tokenizer is null; pass e.g. Tokenizers.bytes()");
        }
        if (k < 1) {
            throw new IllegalArgumentException("Chunker: K " + k + " must be >= 1 (the CALM chunk size; 4 in the paper)");
        }
        this.tokenizer = tokenizer;
        this.k = k;
    }

    public int k() {
        return k;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Length of a laid-out document with {@code n} text ids: the next multiple of K above n. */
    public static int paddedLength(int n, int k) {
        return (n / k + 1) * k;
    }

    /** One document's ids + EOS + PADs (length a multiple of K). */
    public int[] document(String text) {
        int[] ids = tokenizer.encode(text);
        int[] out = Arrays.copyOf(ids, paddedLength(ids.length, k));
        out[ids.length] = tokenizer.eos();
        Arrays.fill(out, ids.length + 1, out.length, tokenizer.pad());
        return out;
    }

    /** All documents laid out one after the other. */
    public ChunkStream stream(List<String> documents) {
        if (documents == null) {
            throw new IllegalArgumentException("Chunker.stream: documents is null; pass e.g. corpus.documents(Split.TRAIN)");
        }
        int[][] parts = new int[documents.size()][];
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            parts[i] = document(documents.get(i));
            total += parts[i].length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Chunker.stream: " + total + " ids do not fit one int[]; "
                    + "use Corpus.limit or Corpus.head to make the corpus smaller");
        }
        int[] ids = new int[(int) total];
        int pos = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, ids, pos, p.length);
            pos += p.length;
        }
        return new ChunkStream(ids, k, documents.size(), tokenizer);
    }
}
