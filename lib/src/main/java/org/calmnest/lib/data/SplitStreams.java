package org.calmnest.lib.data;

import org.calmnest.lib.train.TrainBatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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
    /** Writes unit {@code unit} (a chunk or a block) of a stream into row {@code row} of {@code ids}. */
    interface RowFiller {
        void fill(int unit, int[] ids, int row);
    }

    /** Endless training batches of {@code rows} x {@code width} ids, units drawn in a new seeded order every epoch. */
    static Iterator<TrainBatch> shuffled(ChunkStream s, int units, long seed, int rows, int width, RowFiller fill) {
        EpochOrder order = new EpochOrder(units, seed);
        return endless(() -> {
            int[] ids = new int[rows * width];                               // (rows, width)
            for (int r = 0; r < rows; r++) {
                fill.fill(order.next(), ids, r);
            }
            return new TrainBatch(ids, rows, width, s.realTokens(ids), s.bytes(ids));
        });
    }

    /** Units 0..units-1 in order, {@code rows} per batch (the last may be shorter), at most {@code maxBatches}. */
    static List<TrainBatch> inOrder(ChunkStream s, int units, int rows, int width, int maxBatches, RowFiller fill) {
        List<TrainBatch> out = new ArrayList<>();
        for (int start = 0; start < units && out.size() < maxBatches; start += rows) {
            int r = Math.min(rows, units - start);
            int[] ids = new int[r * width];                                  // (r, width)
            for (int i = 0; i < r; i++) {
                fill.fill(start + i, ids, i);
            }
            out.add(new TrainBatch(ids, r, width, s.realTokens(ids), s.bytes(ids)));
        }
        return Collections.unmodifiableList(out);
    }

    /** An endless iterator over the values of {@code next} (training streams never run out). */
    static <T> Iterator<T> endless(Supplier<T> next) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public T next() {
                return next.get();
            }
        };
    }

    /** Unit indices 0..n-1 in a fresh seeded permutation every epoch ({@link #permutation}). */
    static final class EpochOrder {
        private final int n;
        private final long seed;
        private long epoch;
        private int[] order;
        private int next;

        EpochOrder(int n, long seed) {
            this.n = n;
            this.seed = seed;
            this.order = permutation(n, seed, 0);
        }

        int next() {
            if (next == order.length) {
                order = permutation(n, seed, ++epoch);
                next = 0;
            }
            return order[next++];
        }
    }

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
