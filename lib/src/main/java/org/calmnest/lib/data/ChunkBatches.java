package org.calmnest.lib.data;

import java.util.Iterator;
import java.util.List;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;

/**
 * Batches for the CALM autoencoder: each row is one chunk of K ids (a batch is {@code (rows, K)}),
 * chunks laid out by {@link Chunker} so none straddles two documents.
 *
 * <p>Training order: every epoch a fresh permutation of the training chunks, seeded by
 * {@code (seed, epoch)}; the stream is endless and every batch has exactly {@code rows} rows (an
 * epoch's tail continues into the next epoch). Held-out lists: chunks in corpus order, at most
 * {@code maxValidationBatches} batches (the last may have fewer rows), the same on every call.
 *
 * <p>All-PAD chunks cannot occur (a document gets fewer than K PADs). {@code textChunksOnly}
 * drops the chunks that hold no text id at all, only EOS and PAD (documents whose length is a
 * multiple of K end with one); keep them (the default) so the decoder learns to emit EOS.
 */
public final class ChunkBatches implements BatchSource {

    private final SplitStreams streams;
    private final int rows;
    private final int maxValidationBatches;
    private final boolean textChunksOnly;
    private final int[] trainChunks;
    private List<TrainBatch> validation;

    public ChunkBatches(Corpus corpus, Tokenizer tokenizer, int k, int rows, int maxValidationBatches,
            boolean textChunksOnly) {
        this.streams = new SplitStreams(corpus, tokenizer, k);
        SplitStreams.checkPositive("ChunkBatches", "rows", rows, "pass the number of chunks per batch, e.g. 64");
        SplitStreams.checkPositive("ChunkBatches", "maxValidationBatches", maxValidationBatches,
                "pass how many held-out batches to keep, e.g. 16");
        this.rows = rows;
        this.maxValidationBatches = maxValidationBatches;
        this.textChunksOnly = textChunksOnly;
        this.trainChunks = usableChunks(Split.TRAIN);
    }

    /** Defaults: 16 validation batches at most, EOS-only chunks kept. */
    public static ChunkBatches of(Corpus corpus, Tokenizer tokenizer, int k, int rows) {
        return new ChunkBatches(corpus, tokenizer, k, rows, 16, false);
    }

    public int k() {
        return streams.chunker().k();
    }

    public int rows() {
        return rows;
    }

    /** Number of training chunks in one epoch. */
    public int trainChunks() {
        return trainChunks.length;
    }

    private int[] usableChunks(Split split) {
        ChunkStream s = streams.of(split);
        int k = s.k();
        int eos = streams.chunker().tokenizer().eos();
        int[] keep = new int[s.chunks()];
        int n = 0;
        for (int c = 0; c < s.chunks(); c++) {
            boolean text = !textChunksOnly;
            for (int j = 0; j < k && !text; j++) {
                int id = s.id(c * k + j);
                text = id != s.pad() && id != eos;
            }
            if (text) {
                keep[n++] = c;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("ChunkBatches: split " + split + " of corpus '" + streams.corpus().name()
                    + "' has zero chunks" + (textChunksOnly ? " with text" : "") + "; use a larger corpus");
        }
        return java.util.Arrays.copyOf(keep, n);
    }

    @Override
    public Iterator<TrainBatch> train(long seed) {
        ChunkStream s = streams.of(Split.TRAIN);
        int k = s.k();
        return SplitStreams.shuffled(s, trainChunks.length, seed, rows, k,
                (unit, ids, r) -> s.copy(trainChunks[unit] * k, ids, r * k, k));
    }

    @Override
    public synchronized List<TrainBatch> validation() {
        if (validation == null) {
            validation = batches(Split.VALIDATION, maxValidationBatches);
        }
        return validation;
    }

    /** Chunks of a split in corpus order, {@code rows} per batch, at most {@code maxBatches} batches. */
    public List<TrainBatch> batches(Split split, int maxBatches) {
        SplitStreams.checkPositive("ChunkBatches.batches", "maxBatches", maxBatches, "pass e.g. 16");
        ChunkStream s = streams.of(split);
        int[] chunks = split == Split.TRAIN ? trainChunks : usableChunks(split);
        int k = s.k();
        return SplitStreams.inOrder(s, chunks.length, rows, k, maxBatches, (unit, ids, r) -> s.copy(chunks[unit] * k, ids, r * k, k));
    }

    @Override
    public String toString() {
        return "ChunkBatches[" + streams.corpus().name() + ", K=" + k() + ", rows=" + rows + ", train chunks="
                + trainChunks.length + "]";
    }
}
