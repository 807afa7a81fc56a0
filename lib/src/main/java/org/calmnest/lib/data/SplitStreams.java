package org.calmnest.lib.data;

import java.util.EnumMap;
import java.util.Map;

/** Laid-out id streams of a corpus's splits, encoded on first use and kept (host memory only). */
final class SplitStreams {

    private final Corpus corpus;
    private final Chunker chunker;
    private final Map<Split, ChunkStream> cache = new EnumMap<>(Split.class);

    SplitStreams(Corpus corpus, Tokenizer tokenizer, int k) {
        if (corpus == null) {
            throw new IllegalArgumentException("batches: corpus is null; pass e.g. Corpus.europarl(\"en\")");
        }
        this.corpus = corpus;
        this.chunker = new Chunker(tokenizer, k);
    }

    Corpus corpus() {
        return corpus;
    }

    Chunker chunker() {
        return chunker;
    }

    synchronized ChunkStream of(Split split) {
        if (split == null) {
            throw new IllegalArgumentException("batches: split is null; pass Split.TRAIN, VALIDATION or TEST");
        }
        return cache.computeIfAbsent(split, s -> chunker.stream(corpus.documents(s)));
    }

    /** Seeded Fisher-Yates permutation of 0..n-1 for one epoch. */
    static int[] permutation(int n, long seed, long epoch) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static void checkPositive(String what, String field, int value, String fix) {
        if (value < 1) {
            throw new IllegalArgumentException(what + ": " + field + " " + value + " must be >= 1; " + fix);
        }
    }
}
