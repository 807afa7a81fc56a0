package org.calmnest.dsl.result;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.knowm.xchart.XYChart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well a chunk autoencoder reconstructs held-out text (CALM.md §1): token accuracy decoding
 * from the posterior mean and from a sampled {@code z = mean + sigma * eps}, chunk exact match, mean
 * sigma, the number of collapsed latent dimensions (mean KL over chunks below {@code threshold};
 * {@code kl_i = 0.5 (mean_i² + sigma_i² - 1) - log sigma_i}) and the robustness curve: accuracy when
 * Gaussian noise of growing std is added to the mean. PAD positions are not scored.
 *
 * @param accuracyFromMean   token accuracy decoding z = mean
 * @param accuracyFromSample token accuracy decoding z = mean + sigma * eps
 * @param exactMatch         fraction of chunks decoded exactly from the mean
 * @param meanSigma          average posterior sigma
 * @param collapsedDims      latent dimensions whose mean KL is below the threshold
 * @param latentDim          l
 * @param threshold          the KL threshold (the KL clip, 0.5 when clipping is off)
 * @param noiseStd           robustness curve: noise std
 * @param noiseAccuracy      robustness curve: token accuracy at that std
 * @param tokens             scored tokens
 */
public record AeDiagnostics(double accuracyFromMean, double accuracyFromSample, double exactMatch, double meanSigma,
                            int collapsedDims, int latentDim, double threshold, double[] noiseStd,
                            double[] noiseAccuracy, long tokens) implements RichDisplay {

    /** The noise levels of the robustness curve. */
    public static final double[] NOISE = {0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0};

    public AeDiagnostics {
        noiseStd = noiseStd.clone();
        noiseAccuracy = noiseAccuracy.clone();
    }

    /** Computes the diagnostics on held-out batches (rows = chunks of K ids). */
    static AeDiagnostics compute(ChunkAutoencoder ae, List<TrainBatch> batches, String device, long seed) {
        int l = ae.latentDim();
        int pad = ae.tokenizer().pad();
        double threshold = ae.config().klClip() > 0 ? ae.config().klClip() : 0.5;
        long tokens = 0;
        long chunks = 0;
        long exact = 0;
        double hitMean = 0;
        double hitSample = 0;
        double sigmaSum = 0;
        double[] klSum = new double[l];
        double[] noiseHits = new double[NOISE.length];
        TorchRuntime.seed(seed);
        try (NDManager m = TorchRuntime.engine().newBaseManager(TorchRuntime.device(device))) {
            for (TrainBatch b : batches) {
                try (NDManager s = m.newSubManager()) {
                    NDArray ids = s.create(b.ids(), new Shape(b.rows(), b.cols())).toType(DataType.INT64, false); // (n, K)
                    NDArray mask = ids.neq(pad).toType(DataType.FLOAT32, false);                                   // (n, K)
                    NDList st = ae.encode(s, ids);
                    NDArray mean = st.get(0);                                                                      // (n, l)
                    NDArray sigma = st.get(1);                                                                     // (n, l)
                    NDArray fromMean = ae.decode(s, mean).eq(ids).toType(DataType.FLOAT32, false).mul(mask);       // (n, K)
                    hitMean += fromMean.sum().getFloat();
                    exact += (long) fromMean.add(mask.neg().add(1)).min(new int[] {1}).sum().getFloat(); // chunks with every non-PAD id right
                    NDArray z = mean.add(sigma.mul(s.randomNormal(mean.getShape())));                              // (n, l)
                    hitSample += ae.decode(s, z).eq(ids).toType(DataType.FLOAT32, false).mul(mask).sum().getFloat();
                    NDArray kl = mean.square().add(sigma.square()).sub(1).mul(0.5f).sub(sigma.log());             // (n, l)
                    float[] perDim = kl.sum(new int[] {0}).toFloatArray();                                         // (l)
                    for (int i = 0; i < l; i++) {
                        klSum[i] += perDim[i];
                    }
                    sigmaSum += sigma.mean().getFloat() * b.rows();
                    for (int k = 0; k < NOISE.length; k++) {
                        NDArray zn = mean.add(s.randomNormal(mean.getShape()).mul((float) NOISE[k]));              // (n, l)
                        noiseHits[k] += ae.decode(s, zn).eq(ids).toType(DataType.FLOAT32, false).mul(mask).sum().getFloat();
                    }
                    tokens += (long) mask.sum().getFloat();
                    chunks += b.rows();
                }
            }
        }
        int collapsed = 0;
        for (int i = 0; i < l; i++) {
            if (klSum[i] / Math.max(1, chunks) < threshold) {
                collapsed++;
            }
        }
        double[] acc = new double[NOISE.length];
        for (int k = 0; k < NOISE.length; k++) {
            acc[k] = noiseHits[k] / Math.max(1, tokens);
        }
        return new AeDiagnostics(hitMean / Math.max(1, tokens), hitSample / Math.max(1, tokens),
                (double) exact / Math.max(1, chunks), sigmaSum / Math.max(1, chunks), collapsed, l, threshold,
                NOISE, acc, tokens);
    }

    /** Token accuracy against latent noise std. */
    public XYChart robustness() {
        return Charts.robustness(noiseStd, noiseAccuracy);
    }

    Map<String, String> keyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("reconstruction", String.format(Locale.ROOT, "%.2f%% from the mean, %.2f%% from a sampled z (%d tokens)",
                100 * accuracyFromMean, 100 * accuracyFromSample, tokens));
        m.put("chunk exact match", String.format(Locale.ROOT, "%.2f%%", 100 * exactMatch));
        m.put("latent", String.format(Locale.ROOT, "%d of %d dims collapsed (mean KL < %.2f), mean sigma %.3f",
                collapsedDims, latentDim, threshold, meanSigma));
        return m;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AeDiagnostics[accuracy %.4f (sampled %.4f), exact %.4f, %d/%d collapsed, sigma %.3f]",
                accuracyFromMean, accuracyFromSample, exactMatch, collapsedDims, latentDim, meanSigma);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder text = new StringBuilder("autoencoder diagnostics\n");
        keyValues().forEach((k, v) -> text.append("  ").append(k).append(": ").append(v).append('\n'));
        return Html.bundle(text.toString().stripTrailing(), Html.keyValues("autoencoder diagnostics", keyValues()),
                ChartFiles.png(robustness()));
    }
}
