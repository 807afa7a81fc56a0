package org.calmnest.lib.bench;

import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Random ids made once, before timing, and cycled: the training loop then never waits for data,
 * so a benchmark measures the model and the loop alone. Batches are (rows, cols) of ids in
 * [0, vocab), no padding; the same seed gives the same batches.
 */
public final class SyntheticBatches implements BatchSource {

    private final List<TrainBatch> pool = new ArrayList<>();

    /**
     * @param vocab ids are drawn from [0, vocab)
     * @param rows  batch rows
     * @param cols  ids per row
     * @param count distinct batches to cycle through
     * @param seed  random seed
     */
    public SyntheticBatches(int vocab, int rows, int cols, int count, long seed) {
        if (vocab < 1 || rows < 1 || cols < 1 || count < 1) {
            throw new IllegalArgumentException("SyntheticBatches: vocab " + vocab + ", rows " + rows + ", cols " + cols
                    + ", count " + count + " must all be >= 1");
        }
        Random r = new Random(seed);
        for (int b = 0; b < count; b++) {
            int[] ids = new int[rows * cols];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(vocab);
            }
            pool.add(new TrainBatch(ids, rows, cols, (long) rows * cols, (long) rows * cols));
        }
    }

    /** The first batch (the shape every batch has). */
    public TrainBatch first() {
        return pool.get(0);
    }

    @Override
    public Iterator<TrainBatch> train(long seed) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public TrainBatch next() {
                return pool.get(next++ % pool.size());
            }
        };
    }

    @Override
    public List<TrainBatch> validation() {
        return List.of();
    }
}
