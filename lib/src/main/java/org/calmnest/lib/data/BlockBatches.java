package org.calmnest.lib.data;

import java.util.Iterator;
import java.util.List;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;

/**
 * Batches for the language models: each row is a block of T ids (a batch is {@code (rows, T)}),
 * T a multiple of K. Blocks are the consecutive windows {@code [j*T, (j+1)*T)} of a split's id
 * stream laid out by {@link Chunker}, so every block starts on a chunk boundary and holds T/K whole
 * chunks; a block may span several documents (each ends with EOS and its own padding). The
 * stream's last window is filled up with PAD, which is still padding at a document end.
 *
 * <p>Training order: every epoch a fresh permutation of the blocks, seeded by {@code (seed, epoch)};
 * endless, every batch exactly {@code rows} rows. Held-out lists: blocks in corpus order, at most
 * {@code maxValidationBatches} batches, the same on every call.
 */
public final class BlockBatches implements BatchSource {

    private final SplitStreams streams;
    private final int blockLength;
    private final int rows;
    private final int maxValidationBatches;
    private final int trainBlocks;
    private List<TrainBatch> validation;

    public BlockBatches(Corpus corpus, Tokenizer tokenizer, int k, int blockLength, int rows, int maxValidationBatches) {
        this.streams = new SplitStreams(corpus, tokenizer, k);
        if (blockLength < k || blockLength % k != 0) {
            throw new IllegalArgumentException("BlockBatches: blockLength " + blockLength + " is not a positive multiple of K "
                    + k + "; pass a multiple of K such as " + suggest(blockLength, k));
        }
        SplitStreams.checkPositive("BlockBatches", "rows", rows, "pass the number of blocks per batch, e.g. 16");
        SplitStreams.checkPositive("BlockBatches", "maxValidationBatches", maxValidationBatches,
                "pass how many held-out batches to keep, e.g. 16");
        this.blockLength = blockLength;
        this.rows = rows;
        this.maxValidationBatches = maxValidationBatches;
        this.trainBlocks = blocks(Split.TRAIN);
    }

    private static String suggest(int blockLength, int k) {
        int below = Math.max(k, blockLength / k * k);
        int above = Math.max(k, (blockLength / k + 1) * k);
        return below == above ? String.valueOf(below) : below + " or " + above;
    }

    /** Defaults: 16 validation batches at most. */
    public static BlockBatches of(Corpus corpus, Tokenizer tokenizer, int k, int blockLength, int rows) {
        return new BlockBatches(corpus, tokenizer, k, blockLength, rows, 16);
    }

    public int k() {
        return streams.chunker().k();
    }

    public int blockLength() {
        return blockLength;
    }

    public int rows() {
        return rows;
    }

    /** Number of training blocks in one epoch. */
    public int trainBlocks() {
        return trainBlocks;
    }

    private int blocks(Split split) {
        ChunkStream s = streams.of(split);
        if (s.chunks() == 0) {
            throw new IllegalArgumentException("BlockBatches: split " + split + " of corpus '" + streams.corpus().name()
                    + "' has zero chunks; use a larger corpus");
        }
        return (s.length() + blockLength - 1) / blockLength;
    }

    /** Copies block {@code b} of the stream into row {@code r}, PAD past the stream's end. */
    private void fill(ChunkStream s, int b, int[] ids, int r) {
        int from = b * blockLength;
        int len = Math.min(blockLength, s.length() - from);
        s.copy(from, ids, r * blockLength, len);
        java.util.Arrays.fill(ids, r * blockLength + len, (r + 1) * blockLength, s.pad());
    }

    @Override
    public Iterator<TrainBatch> train(long seed) {
        ChunkStream s = streams.of(Split.TRAIN);
        return SplitStreams.shuffled(s, trainBlocks, seed, rows, blockLength, (unit, ids, r) -> fill(s, unit, ids, r));
    }

    @Override
    public synchronized List<TrainBatch> validation() {
        if (validation == null) {
            validation = batches(Split.VALIDATION, maxValidationBatches);
        }
        return validation;
    }

    /** Blocks of a split in corpus order, {@code rows} per batch, at most {@code maxBatches} batches. */
    public List<TrainBatch> batches(Split split, int maxBatches) {
        SplitStreams.checkPositive("BlockBatches.batches", "maxBatches", maxBatches, "pass e.g. 16");
        ChunkStream s = streams.of(split);
        return SplitStreams.inOrder(s, blocks(split), rows, blockLength, maxBatches, (unit, ids, r) -> fill(s, unit, ids, r));
    }

    @Override
    public String toString() {
        return "BlockBatches[" + streams.corpus().name() + ", K=" + k() + ", T=" + blockLength + ", rows=" + rows
                + ", train blocks=" + trainBlocks + "]";
    }
}
