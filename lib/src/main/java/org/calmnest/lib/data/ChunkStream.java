package org.calmnest.lib.data;

import java.util.Arrays;

/**
 * The id stream of a list of documents laid out by {@link Chunker}: length a multiple of K, held
 * on the host as one int[] (never as one tensor). Knows how many UTF-8 bytes each id stands for,
 * so batches can report the bytes they cover (for bits per byte).
 */
public final class ChunkStream {

    private final int[] ids;
    private final int k;
    private final int documents;
    private final int pad;
    /** bytes per id, or null when the tokenizer cannot say. */
    private final int[] byteLength;

    ChunkStream(int[] ids, int k, int documents, Tokenizer tokenizer) {
        this.ids = ids;
        this.k = k;
        this.documents = documents;
        this.pad = tokenizer.pad();
        int[] lens = new int[tokenizer.vocabSize()];
        for (int id = 0; id < lens.length; id++) {
            lens[id] = tokenizer.byteLength(id);
            if (lens[id] < 0) {
                lens = null;
                break;
            }
        }
        this.byteLength = lens;
    }

    public int k() {
        return k;
    }

    /** Number of ids (a multiple of K). */
    public int length() {
        return ids.length;
    }

    public int chunks() {
        return ids.length / k;
    }

    public int documents() {
        return documents;
    }

    /** Copy of chunk {@code i} (K ids). */
    public int[] chunk(int i) {
        return Arrays.copyOfRange(ids, i * k, i * k + k);
    }

    /** Copy of ids [from, to). */
    public int[] ids(int from, int to) {
        return Arrays.copyOfRange(ids, from, to);
    }

    /** Copies {@code len} ids from {@code from} into {@code dst} at {@code at}. */
    void copy(int from, int[] dst, int at, int len) {
        System.arraycopy(ids, from, dst, at, len);
    }

    int id(int pos) {
        return ids[pos];
    }

    int pad() {
        return pad;
    }

    /** Real (non-PAD) ids in the array, EOS included: the ones a model is trained to predict. */
    long realTokens(int[] batch) {
        long n = 0;
        for (int id : batch) {
            if (id != pad) {
                n++;
            }
        }
        return n;
    }

    /** UTF-8 bytes the ids stand for; 0 (unknown) when the tokenizer cannot say. */
    long bytes(int[] batch) {
        if (byteLength == null) {
            return 0;
        }
        long n = 0;
        for (int id : batch) {
            n += byteLength[id];
        }
        return n;
    }
}
