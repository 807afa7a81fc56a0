package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * The pieces of the autoencoder's robust variational objective (CALM section 3.1), each a pure
 * function of its inputs so it can be tested on its own. Every result is attached to the manager
 * passed in (or to the manager of the first input).
 * <ul>
 *   <li>DropToken: a fraction of the input ids becomes the MASK id.</li>
 *   <li>Reparameterisation: {@code z = mean + exp(logSigma) * eps, eps ~ N(0, I)}.</li>
 *   <li>DropLatent: inverted dropout, {@code z * bernoulli(1 - p) / (1 - p)}.</li>
 *   <li>KL to N(0, I) per dimension: {@code kl_i = 0.5 (mean_i² + sigma_i² - 1) - log sigma_i},
 *       clipped from below (free bits): {@code sum_i max(kl_i, clip)}, averaged over chunks.</li>
 * </ul>
 */
public final class VariationalObjective {

    private VariationalObjective() {
    }

    /** Replaces each id by {@code maskId} with probability {@code rate}; ids (n, K) int64. */
    public static NDArray dropToken(NDManager manager, NDArray ids, double rate, int maskId) {
        if (rate <= 0) {
            return ids;
        }
        NDArray drop = manager.randomUniform(0f, 1f, ids.getShape(), DataType.FLOAT32, ids.getDevice())
                .lt((float) rate); // (n, K) bool
        NDArray mask = manager.full(ids.getShape(), maskId, ids.getDataType(), ids.getDevice()); // (n, K)
        return NDArrays.where(drop, mask, ids); // (n, K)
    }

    /** {@code mean + exp(logSigma) * eps} with fresh standard normal eps; (n, l). */
    public static NDArray reparameterise(NDManager manager, NDArray mean, NDArray logSigma) {
        NDArray eps = manager.randomNormal(0f, 1f, mean.getShape(), mean.getDataType(), mean.getDevice()); // (n, l)
        return mean.add(logSigma.exp().mul(eps)); // (n, l)
    }

    /** Inverted dropout: zeroes each entry with probability {@code rate}, scales the rest by 1/(1-rate). */
    public static NDArray dropLatent(NDManager manager, NDArray z, double rate) {
        if (rate <= 0) {
            return z;
        }
        NDArray keep = manager.randomUniform(0f, 1f, z.getShape(), DataType.FLOAT32, z.getDevice())
                .gte((float) rate).toType(z.getDataType(), false); // (n, l) of 0/1
        return z.mul(keep).div((float) (1 - rate)); // (n, l)
    }

    /** KL of N(mean, sigma²) to N(0, 1) per dimension, (n, l). */
    public static NDArray klPerDim(NDArray mean, NDArray logSigma) {
        NDArray var = logSigma.mul(2).exp(); // sigma², (n, l)
        return mean.square().add(var).sub(1f).mul(0.5f).sub(logSigma); // (n, l)
    }

    /** {@code mean over chunks of sum_i max(kl_i, clip)}: a scalar. {@code clip = 0} is the plain KL. */
    public static NDArray klClipped(NDArray klPerDim, double clip) {
        NDArray kl = clip > 0 ? klPerDim.maximum((float) clip) : klPerDim; // (n, l)
        return kl.sum(new int[] {1}).mean(); // ()
    }

    /** Mean token cross-entropy of logits (n, K, V) against ids (n, K) int64: a scalar. */
    public static NDArray crossEntropy(NDArray logits, NDArray ids) {
        NDArray logp = logits.logSoftmax(-1); // (n, K, V)
        NDArray picked = logp.gather(ids.expandDims(-1), -1); // (n, K, 1)
        return picked.mean().neg(); // ()
    }
}
