package org.calmnest.lib.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Delta-rule momentum: the momentum memory is trained with an L2 (regression) objective instead
 * of a dot product, so writing a new gradient first erases what the memory stored along that
 * gradient's direction (NESTED.md section 2):
 * <pre>
 *   m_{t+1} = (a I - beta ĝ_t ĝ_tᵀ) m_t - eta g_t,   ĝ_t = g_t / ||g_t||,   W_{t+1} = W_t + m_{t+1}
 * </pre>
 * The parameter is treated as one flat vector. We normalise the gradient in the erase term (as
 * DGD normalises its input) so {@code beta} is the fraction erased, independent of the gradient
 * scale; the paper writes {@code g gᵀ} unnormalised. The preconditioner P is the identity.
 * With {@code beta = 0} this is exactly {@link Momentum}.
 */
public final class DeltaMomentum extends StatefulOptimizer {

    private static final double EPS = 1e-30;

    private final double decay;
    private final double erase;

    /**
     * @param decay the retention a in [0, 1)
     * @param erase beta in [0, 1]: how much of the memory along the current gradient is erased
     */
    public DeltaMomentum(double decay, double erase) {
        MomentumStates.requireRange("DeltaMomentum", "decay", decay, 0, 0.999999, "use a value in [0, 1), e.g. 0.9");
        MomentumStates.requireRange("DeltaMomentum", "erase", erase, 0, 1, "use a value in [0, 1]; 0 gives plain momentum");
        this.decay = decay;
        this.erase = erase;
    }

    @Override
    public String name() {
        return "delta-momentum";
    }

    @Override
    public void update(String key, NDArray weight, NDArray grad, double lr, long t, NDManager stateManager) {
        NDArray m = states.get(key + ".m", stateManager, () -> weight.zerosLike());
        double gg = MomentumStates.dot(grad, grad);
        // projection coefficient ĝᵀ m, computed before m is decayed
        double gm = gg > EPS ? MomentumStates.dot(grad, m) : 0;
        m.muli(decay);
        if (erase > 0 && gg > EPS) {
            try (NDArray proj = grad.mul(erase * gm / gg)) { // beta ĝ (ĝᵀ m)
                m.subi(proj);
            }
        }
        descend(m, grad, lr, weight);
    }
}
