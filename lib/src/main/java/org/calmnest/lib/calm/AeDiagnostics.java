package org.calmnest.lib.calm;

import java.util.List;

/**
 * What a trained chunk autoencoder achieves on held-out chunks (CALM section 3.1 and its
 * ablation), as plain values.
 *
 * @param chunks             held-out chunks evaluated
 * @param tokens             of their positions, the non-PAD ones (accuracy counts these)
 * @param accuracyFromMean   token accuracy decoding z = mean
 * @param accuracyFromSample token accuracy decoding one z = mean + sigma * eps per chunk
 * @param exactFromMean      fraction of chunks decoded right in all K positions, from the mean
 * @param exactFromSample    the same from the sampled z
 * @param meanSigma          average posterior sigma over chunks and dimensions
 * @param meanKlPerDim       mean over chunks of kl_i for every latent dimension i (length l)
 * @param collapseThreshold  a dimension whose mean KL is below this counts as collapsed (0.5, the free bits)
 * @param collapsedDims      number of such dimensions
 * @param robustness         token accuracy when Gaussian noise of growing std is added to the mean
 */
public record AeDiagnostics(long chunks, long tokens, double accuracyFromMean, double accuracyFromSample,
                            double exactFromMean, double exactFromSample, double meanSigma,
                            double[] meanKlPerDim, double collapseThreshold, int collapsedDims,
                            List<NoisePoint> robustness) {

    public AeDiagnostics {
        meanKlPerDim = meanKlPerDim.clone();
        robustness = List.copyOf(robustness);
    }

    @Override
    public double[] meanKlPerDim() {
        return meanKlPerDim.clone();
    }

    /** Token accuracy with noise N(0, std² I) added to the posterior mean. */
    public record NoisePoint(double std, double accuracy, double exactMatch) {
    }

    /** A few readable lines. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("held-out chunks %d (%d non-PAD tokens)%n", chunks, tokens));
        sb.append(String.format("token accuracy  from mean %.5f, from sampled z %.5f%n", accuracyFromMean, accuracyFromSample));
        sb.append(String.format("chunk exact     from mean %.5f, from sampled z %.5f%n", exactFromMean, exactFromSample));
        sb.append(String.format("mean sigma %.4f, collapsed dims (mean KL < %.2f) %d of %d%n", meanSigma,
                collapseThreshold, collapsedDims, meanKlPerDim.length));
        sb.append("robustness (noise std -> accuracy):");
        for (NoisePoint p : robustness) {
            sb.append(String.format(" %.2f->%.4f", p.std(), p.accuracy()));
        }
        return sb.toString();
    }
}
