package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

import java.util.Random;

/**
 * A fixed (untrained) exact chunk code for unit tests: each token has a random unit vector of size
 * e; a chunk's mean is the concatenation of its K token vectors (l = K e), sigma is constant, and
 * decoding picks, per slot, the token whose vector is nearest. Reconstruction from the mean is
 * exact when the vectors are well separated, so model tests do not need a trained autoencoder.
 */
final class TableCodec implements LatentCodec, AutoCloseable {

    private final int k;
    private final int e;
    private final int vocab;
    private final float sigma;
    private final NDManager manager;
    private final NDArray table; // (V, e)

    TableCodec(int k, int e, int vocab, float sigma, long seed) {
        this.k = k;
        this.e = e;
        this.vocab = vocab;
        this.sigma = sigma;
        this.manager = org.calmnest.lib.runtime.TorchRuntime.engine().newBaseManager();
        Random r = new Random(seed);
        float[] t = new float[vocab * e];
        for (int v = 0; v < vocab; v++) {
            double norm = 0;
            for (int j = 0; j < e; j++) {
                t[v * e + j] = (float) r.nextGaussian();
                norm += t[v * e + j] * t[v * e + j];
            }
            for (int j = 0; j < e; j++) {
                t[v * e + j] /= (float) Math.sqrt(norm / e);
            }
        }
        this.table = manager.create(t, new Shape(vocab, e));
    }

    @Override public int chunkSize() { return k; }
    @Override public int latentDim() { return k * e; }
    @Override public int vocabSize() { return vocab; }

    @Override
    public NDArray[] posterior(NDArray ids) {
        NDArray w = table.toDevice(ids.getDevice(), true);
        w.attach(ids.getManager());
        NDArray idx = ids.toType(DataType.INT64, false);
        NDArray rows = idx.getNDArrayInternal().embedding(idx, w, SparseFormat.DENSE).singletonOrThrow(); // (P, K, e)
        NDArray mean = rows.reshape(ids.getShape().get(0), (long) k * e).stopGradient();
        NDArray s = ids.getManager().full(mean.getShape(), sigma);
        return new NDArray[] {mean, s};
    }

    @Override
    public NDArray decode(NDArray z) {
        NDArray w = table.duplicate();
        w.attach(z.getManager());
        long n = z.getShape().get(0);
        NDArray slots = z.reshape(n * k, e); // (nK, e)
        NDArray d2 = slots.square().sum(new int[] {1}, true).add(w.square().sum(new int[] {1}).expandDims(0))
                .sub(slots.matMul(w.transpose()).mul(2)); // (nK, V)
        return d2.argMin(1).reshape(n, k).toType(DataType.INT64, false);
    }

    @Override public double encodeFlopsPerChunk() { return k * e; }
    @Override public double decodeFlopsPerChunk() { return 2.0 * k * e * vocab; }

    @Override
    public void close() {
        manager.close();
    }
}
