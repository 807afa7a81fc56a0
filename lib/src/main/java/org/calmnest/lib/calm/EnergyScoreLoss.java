package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The energy score loss of CALM (Shao et al. 2025, §3.2; CALM.md §2), a strictly proper scoring
 * rule for alpha in (0, 2) that needs only samples of the model, never its likelihood:
 *
 * <pre>
 *   loss = 2/(N M) sum_{n,m} ||x_n - y_m||^alpha  -  1/(N (N-1)) sum_{i != j} ||x_i - x_j||^alpha
 * </pre>
 *
 * averaged over positions, with x_1..x_N samples of the energy head and y_m = mean + eps_m * sigma,
 * eps_m ~ N(0, I), M samples of the frozen autoencoder's posterior.
 *
 * <p>Distances come from the expansion ||a||² + ||b||² - 2 a·b (batched matmuls, no (N, M, P, l)
 * tensor), clamped at 0, and {@code (d² + epsilon)^(alpha/2)}: the epsilon keeps the gradient
 * finite when two samples coincide, and the diagonal of the x-x matrix is masked out, so it never
 * contributes to the value or to the gradient.
 *
 * @param samples       N, model samples per position (reference 8; >= 2, the x-x term needs pairs)
 * @param targetSamples M, posterior samples per position (reference 100; >= 1)
 * @param alpha         exponent of the distance, in (0, 2] (1 in the paper; 2 is not strictly proper)
 * @param epsilon       added to squared distances before the power, > 0 (1e-6 by default)
 */
public record EnergyScoreLoss(int samples, int targetSamples, double alpha, double epsilon) {

    public EnergyScoreLoss {
        if (samples < 2) {
            throw new IllegalArgumentException("EnergyScoreLoss.samples (N) = " + samples
                    + " is invalid: the energy score needs N >= 2 model samples per position for its"
                    + " diversity term (the paper uses 8; use at least 2)");
        }
        if (targetSamples < 1) {
            throw new IllegalArgumentException("EnergyScoreLoss.targetSamples (M) = " + targetSamples
                    + " is invalid: use at least 1 posterior sample per position (the paper uses 100)");
        }
        if (!(alpha > 0 && alpha <= 2)) {
            throw new IllegalArgumentException("EnergyScoreLoss.alpha = " + alpha
                    + " is invalid: use a value in (0, 2]; 1 is the paper's (strictly proper) choice");
        }
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("EnergyScoreLoss.epsilon = " + epsilon
                    + " is invalid: use a small positive value such as 1e-6");
        }
    }

    /** The paper's setting: N = 8, M = 100, alpha = 1. */
    public static EnergyScoreLoss reference() {
        return of(8, 100);
    }

    /** N model samples, M posterior samples, alpha = 1. */
    public static EnergyScoreLoss of(int samples, int targetSamples) {
        return new EnergyScoreLoss(samples, targetSamples, 1.0, 1e-6);
    }

    public EnergyScoreLoss withSamples(int n) {
        return new EnergyScoreLoss(n, targetSamples, alpha, epsilon);
    }

    public EnergyScoreLoss withTargetSamples(int m) {
        return new EnergyScoreLoss(samples, m, alpha, epsilon);
    }

    public EnergyScoreLoss withAlpha(double a) {
        return new EnergyScoreLoss(samples, targetSamples, a, epsilon);
    }

    /**
     * Loss against the posterior N(mean, diag(sigma²)): draws M targets y = mean + eps * sigma in
     * the manager of {@code x}.
     *
     * @param x     model samples (N, P, l)
     * @param mean  posterior mean (P, l)
     * @param sigma posterior standard deviation (P, l)
     * @return scalar loss, mean over the P positions
     */
    public NDArray loss(NDArray x, NDArray mean, NDArray sigma) {
        checkSamples(x);
        if (!mean.getShape().equals(sigma.getShape()) || mean.getShape().dimension() != 2
                || mean.getShape().get(0) != x.getShape().get(1) || mean.getShape().get(1) != x.getShape().get(2)) {
            throw new IllegalArgumentException("EnergyScoreLoss: mean " + mean.getShape() + " and sigma "
                    + sigma.getShape() + " must both be (P, l) = (" + x.getShape().get(1) + ", "
                    + x.getShape().get(2) + ") to match the samples " + x.getShape());
        }
        NDManager m = x.getManager();
        Shape ys = new Shape(targetSamples, mean.getShape().get(0), mean.getShape().get(1));
        NDArray eps = m.randomNormal(0f, 1f, ys, mean.getDataType()); // (M, P, l)
        NDArray y = eps.mul(sigma.expandDims(0)).add(mean.expandDims(0)); // (M, P, l)
        return loss(x, y);
    }

    /**
     * Loss against given target samples (deterministic; used by {@link #loss(NDArray, NDArray, NDArray)}).
     *
     * @param x model samples (N, P, l), N >= 2
     * @param y target samples (M, P, l)
     * @return scalar loss, mean over the P positions
     */
    public NDArray loss(NDArray x, NDArray y) {
        checkSamples(x);
        Shape xs = x.getShape();
        Shape ys = y.getShape();
        if (ys.dimension() != 3 || ys.get(1) != xs.get(1) || ys.get(2) != xs.get(2)) {
            throw new IllegalArgumentException("EnergyScoreLoss: targets " + ys + " must be (M, P, l) with P, l = "
                    + xs.get(1) + ", " + xs.get(2) + " as in the samples " + xs);
        }
        long n = xs.get(0);
        NDArray xp = x.transpose(1, 0, 2); // (P, N, l)
        NDArray yp = y.transpose(1, 0, 2); // (P, M, l)
        NDArray dxy = distance(xp, yp); // (P, N, M)
        NDArray dxx = distance(xp, xp); // (P, N, N)
        NDArray offDiag = x.getManager().ones(new Shape(n, n), x.getDataType())
                .sub(x.getManager().eye((int) n).toType(x.getDataType(), false)); // (N, N)
        NDArray fit = dxy.sum(new int[] {1, 2}).div(n * ys.get(0)); // (P)
        NDArray spread = dxx.mul(offDiag).sum(new int[] {1, 2}).div(n * (n - 1)); // (P)
        return fit.mul(2).sub(spread).mean();
    }

    /** (d² + epsilon)^(alpha/2) for every pair of rows: a (P, A, l), b (P, B, l) -> (P, A, B). */
    private NDArray distance(NDArray a, NDArray b) {
        NDArray a2 = a.square().sum(new int[] {2}, true); // (P, A, 1)
        NDArray b2 = b.square().sum(new int[] {2}, true).transpose(0, 2, 1); // (P, 1, B)
        NDArray ab = a.batchMatMul(b.transpose(0, 2, 1)); // (P, A, B)
        NDArray d2 = a2.add(b2).sub(ab.mul(2)).maximum(0f); // (P, A, B)
        NDArray shifted = d2.add((float) epsilon);
        return alpha == 1.0 ? shifted.sqrt() : shifted.pow((float) (alpha / 2));
    }

    private static void checkSamples(NDArray x) {
        if (x.getShape().dimension() != 3) {
            throw new IllegalArgumentException("EnergyScoreLoss: samples have shape " + x.getShape()
                    + "; expected (N, P, l): N samples per position, P positions, latent size l");
        }
        if (x.getShape().get(0) < 2) {
            throw new IllegalArgumentException("EnergyScoreLoss: N = " + x.getShape().get(0)
                    + " model samples per position; the energy score needs N >= 2 (draw at least 2 samples)");
        }
    }
}
