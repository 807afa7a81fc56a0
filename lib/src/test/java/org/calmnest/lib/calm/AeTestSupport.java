package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;

import java.util.Random;

/** Test helpers: synthetic chunk batches and a minimal Adam loop (the project Trainer is tested elsewhere). */
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

    /** Trains with Adam for {@code steps} steps on fresh random batches; returns the last loss. */
    static float train(ChunkAutoencoder ae, int steps, int rows, int[][] corpus, float lr, long seed) {
        Random rnd = new Random(seed);
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build();
        float last = Float.NaN;
        try (NDManager root = TorchRuntime.engine().newBaseManager()) {
            for (int s = 0; s < steps; s++) {
                try (NDManager m = root.newSubManager();
                     GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                    NDArray loss = ae.loss(m, sample(rnd, corpus, rows), true);
                    gc.backward(loss);
                    last = loss.getFloat();
                    if (!Float.isFinite(last)) {
                        throw new AssertionError("loss is " + last + " at step " + s);
                    }
                }
                double gradAbs = 0;
                for (Parameter p : ae.net().getParameters().values()) {
                    NDArray w = p.getArray();
                    if (s == 0) {
                        gradAbs += w.getGradient().abs().sum().getFloat();
                    }
                    adam.update(p.getId(), w, w.getGradient());
                }
                if (s == 0 && !(gradAbs > 0)) {
                    throw new AssertionError("no gradient reached the parameters at the first step: " + gradAbs);
                }
            }
        }
        return last;
    }
}
