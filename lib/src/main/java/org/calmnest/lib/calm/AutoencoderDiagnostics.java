package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;

import java.util.ArrayList;
import java.util.List;

/** Computes {@link AeDiagnostics} of an autoencoder on held-out batches (no gradient, no dropout). */
public final class AutoencoderDiagnostics {

    /** Noise levels of the default robustness curve. */
    public static final double[] DEFAULT_NOISE = {0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0};

    private AutoencoderDiagnostics() {
    }

    /** Diagnostics with the default noise levels and the paper's collapse threshold 0.5. */
    public static AeDiagnostics run(ChunkAutoencoder ae, List<TrainBatch> heldOut, long seed) {
        return run(ae, heldOut, DEFAULT_NOISE, 0.5, seed);
    }

    public static AeDiagnostics run(ChunkAutoencoder ae, List<TrainBatch> heldOut, double[] noiseStds,
                                    double collapseThreshold, long seed) {
        if (heldOut == null || heldOut.isEmpty()) {
            throw new IllegalArgumentException("AutoencoderDiagnostics: no held-out batches; pass at least one batch of chunks");
        }
        for (double s : noiseStds) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("AutoencoderDiagnostics: noise std " + s + " is invalid; use finite values >= 0");
            }
        }
        TorchRuntime.seed(seed);
        int l = ae.latentDim();
        int pad = ae.tokenizer().pad();
        double[] klSum = new double[l];
        double sigmaSum = 0;
        Reconstruction fromMean = Reconstruction.empty();
        Reconstruction fromSample = Reconstruction.empty();
        Reconstruction[] noisy = new Reconstruction[noiseStds.length];
        java.util.Arrays.fill(noisy, Reconstruction.empty());
        long chunks = 0;
        try (NDManager root = TorchRuntime.engine().newBaseManager()) {
            for (TrainBatch b : heldOut) {
                try (NDManager m = root.newSubManager()) {
                    NDArray ids = ae.batchIds(m, b); // (n, K)
                    NDList st = ae.encode(m, ids);
                    NDArray mean = st.get(0); // (n, l)
                    NDArray sigma = st.get(1); // (n, l)
                    fromMean = fromMean.plus(Reconstruction.of(ae.decode(m, mean), ids, pad));
                    NDArray z = VariationalObjective.reparameterise(m, mean, sigma.log()); // (n, l)
                    fromSample = fromSample.plus(Reconstruction.of(ae.decode(m, z), ids, pad));
                    float[] kl = VariationalObjective.klPerDim(mean, sigma.log()).sum(new int[] {0}).toFloatArray(); // (l)
                    for (int i = 0; i < l; i++) {
                        klSum[i] += kl[i];
                    }
                    sigmaSum += sigma.sum().getFloat();
                    for (int j = 0; j < noiseStds.length; j++) {
                        NDArray zn = mean.add(m.randomNormal(mean.getShape()).mul((float) noiseStds[j])); // (n, l)
                        noisy[j] = noisy[j].plus(Reconstruction.of(ae.decode(m, zn), ids, pad));
                    }
                    chunks += b.rows();
                }
            }
        }
        double[] meanKl = new double[l];
        int collapsed = 0;
        for (int i = 0; i < l; i++) {
            meanKl[i] = klSum[i] / chunks;
            if (meanKl[i] < collapseThreshold) {
                collapsed++;
            }
        }
        List<AeDiagnostics.NoisePoint> curve = new ArrayList<>();
        for (int j = 0; j < noiseStds.length; j++) {
            curve.add(new AeDiagnostics.NoisePoint(noiseStds[j], noisy[j].tokenAccuracy(), noisy[j].chunkExactMatch()));
        }
        return new AeDiagnostics(chunks, fromMean.tokens(), fromMean.tokenAccuracy(), fromSample.tokenAccuracy(),
                fromMean.chunkExactMatch(), fromSample.chunkExactMatch(), sigmaSum / ((double) chunks * l),
                meanKl, collapseThreshold, collapsed, curve);
    }
}
