package org.calmnest.lib.calm;

import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** Test helpers: synthetic chunk corpora and a short run of the project Trainer on them. */
final class AeTestSupport {

    private AeTestSupport() {
    }

    /** Random chunks of K ids drawn from the first {@code alphabet} byte ids. */
    static TrainBatch randomChunks(Random rnd, int rows, int k, int alphabet) {
        int[] ids = new int[rows * k];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 'a' + rnd.nextInt(alphabet);
        }
        return new TrainBatch(ids, rows, k, ids.length, ids.length);
    }

    /** A fixed corpus of {@code n} distinct random chunks over the first {@code alphabet} letters. */
    static int[][] corpus(int n, int k, int alphabet, long seed) {
        Random rnd = new Random(seed);
        java.util.Set<String> seen = new java.util.HashSet<>();
        int[][] out = new int[n][];
        for (int i = 0; i < n; ) {
            int[] c = new int[k];
            for (int j = 0; j < k; j++) {
                c[j] = 'a' + rnd.nextInt(alphabet);
            }
            if (seen.add(java.util.Arrays.toString(c))) {
                out[i++] = c;
            }
        }
        return out;
    }

    /** {@code rows} chunks drawn at random from the corpus. */
    static TrainBatch sample(Random rnd, int[][] corpus, int rows) {
        int k = corpus[0].length;
        int[] ids = new int[rows * k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(corpus[rnd.nextInt(corpus.length)], 0, ids, r * k, k);
        }
        return new TrainBatch(ids, rows, k, ids.length, ids.length);
    }

    /** The whole corpus as one batch. */
    static TrainBatch all(int[][] corpus) {
        int k = corpus[0].length;
        int[] ids = new int[corpus.length * k];
        for (int r = 0; r < corpus.length; r++) {
            System.arraycopy(corpus[r], 0, ids, r * k, k);
        }
        return new TrainBatch(ids, corpus.length, k, ids.length, ids.length);
    }

    /**
     * Trains with the project's {@link Trainer} (AdamW, gradient clip 1.0, 10 warm-up steps, no
     * weight decay) on batches drawn from the corpus; returns the last training loss.
     */
    static float train(ChunkAutoencoder ae, int steps, int rows, int[][] corpus, float lr, long seed) {
        BatchSource data = new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long s) {
                Random rnd = new Random(s);
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public TrainBatch next() {
                        return sample(rnd, corpus, rows);
                    }
                };
            }

            @Override
            public List<TrainBatch> validation() {
                return List.of(all(corpus));
            }
        };
        TrainConfig config = TrainConfig.defaults(steps).withLearningRate(lr).withWarmupSteps(Math.min(10, steps / 2))
                .withWeightDecay(0).withSeed(seed);
        try (Trainer trainer = new Trainer(ae, config)) {
            Trainer.Result r = trainer.run(data, List.of(), null);
            float last = (float) r.lastLoss();
            if (!Float.isFinite(last)) {
                throw new AssertionError("training loss is " + last + " after " + r.finalStep() + " steps");
            }
            return last;
        }
    }
}
