package org.calmnest.lib.nested;

import ai.djl.ndarray.NDArray;

/**
 * The residual MLP memory of HOPE and its in-context update by Delta Gradient Descent with a
 * retention gate (Nested Learning, HOPE; NESTED.md sections 2 and 4), in closed form.
 *
 * <p>Memory: {@code M(z) = z + W1 silu(W2 z)} with W1 (dh, m), W2 (m, dh). Inner loss of token t:
 * {@code L_t = ||M(k_t) - vhat_t||²} with the target vhat_t held fixed. Its gradients, written by
 * hand because DJL has one global gradient collector (owned by the outer loop):
 * <pre>
 *   r = M(k) - vhat,  p = W2 k,  h = silu(p)
 *   dL/dW1 = 2 r hᵀ,   dL/dW2 = 2 ((W1ᵀ r) ⊙ silu'(p)) kᵀ
 * </pre>
 * DGD step of one token for each matrix W with input x (k for W2, h for W1), x̂ = x / ||x||:
 * {@code W <- W (a I - eta x̂ x̂ᵀ) - eta P dL/dW}, P a scalar normalised-delta-rule preconditioner
 * (see {@link #step}). A chunk of C tokens reads the state from the end
 * of the previous chunk, takes every gradient at that state and applies
 * <pre>  W <- (prod_t a_t) W - W sum_t eta_t x̂_t x̂_tᵀ - sum_t eta_t P_t dL_t/dW</pre>
 * which is the token recurrence exactly when C = 1. Every function works on a batch of
 * independent memories: leading axes (...) broadcast, tokens on axis -2.
 */
public final class DgdMemory {

    private DgdMemory() {
    }

    /** M(z) = z + W1 silu(W2 z): W1 (..., dh, m), W2 (..., m, dh), z (..., C, dh) -> (..., C, dh). */
    public static NDArray read(NDArray w1, NDArray w2, NDArray z) {
        NDArray p = z.matMul(tr(w2));                          // (..., C, m)
        return z.add(silu(p).matMul(tr(w1)));                  // (..., C, dh)
    }

    /**
     * Sum over the chunk's tokens of eta_t times the gradient of ||M(k_t) - vhat_t||², by hand.
     *
     * @param k    keys (..., C, dh)
     * @param vhat targets (..., C, dh), held fixed
     * @param eta  per-token rates (..., C)
     * @return {dW1 (..., dh, m), dW2 (..., m, dh)}
     */
    public static NDArray[] innerGradients(NDArray w1, NDArray w2, NDArray k, NDArray vhat, NDArray eta) {
        return innerGradients(w1, w2, k, vhat, eta, eta);
    }

    /** As above with separate per-token weights for the W1 and the W2 gradient. */
    public static NDArray[] innerGradients(NDArray w1, NDArray w2, NDArray k, NDArray vhat, NDArray eta1, NDArray eta2) {
        NDArray p = k.matMul(tr(w2));                                       // (..., C, m)
        NDArray sig = p.getNDArrayInternal().sigmoid();
        NDArray h = p.mul(sig);                                             // silu(p)
        NDArray r2 = k.add(h.matMul(tr(w1))).sub(vhat).mul(2);              // (..., C, dh) = 2 r_t
        NDArray g1 = tr(r2.mul(eta1.expandDims(-1))).matMul(h);             // (..., dh, m) = sum eta1 2 r hᵀ
        NDArray dsilu = sig.mul(p.mul(sig.neg().add(1)).add(1));            // silu'(p) = s (1 + p (1 - s))
        NDArray delta = r2.mul(eta2.expandDims(-1)).matMul(w1).mul(dsilu);  // (..., C, m)
        NDArray g2 = tr(delta).matMul(k);                                   // (..., m, dh)
        return new NDArray[]{g1, g2};
    }

    /**
     * One chunk's DGD update with retention. The gradient terms are preconditioned like a
     * normalised delta rule so that {@code sum_t eta_t <= 1} keeps the memory stable: the W1 term
     * of token t by {@code 1 / (1 + ||h_t||²)} (h_t is W1's input) and the W2 term by
     * {@code 1 / (1 + ||W1||²)} (W2's input k is a unit vector; W1 scales its curvature).
     *
     * @param k    keys (..., C, dh), unit vectors
     * @param vhat targets (..., C, dh)
     * @param eta  inner rates (..., C)
     * @param a    retention gates in (0, 1), (..., C)
     * @return {W1', W2'}
     */
    public static NDArray[] step(NDArray w1, NDArray w2, NDArray k, NDArray vhat, NDArray eta, NDArray a) {
        NDArray h = silu(k.matMul(tr(w2)));                                 // (..., C, m): the input of W1
        NDArray eta1 = eta.div(h.square().sum(new int[]{-1}).add(1));       // (..., C)
        NDArray w1Norm = w1.square().sum(new int[]{-1, -2}).add(1);         // (...)
        NDArray eta2 = eta.div(w1Norm.expandDims(-1));                      // (..., C)
        NDArray[] g = innerGradients(w1, w2, k, vhat, eta1, eta2);
        NDArray kHat = unit(k);
        NDArray hHat = unit(h);
        NDArray e = eta.expandDims(-1);                                     // (..., C, 1)
        NDArray erase2 = tr(kHat).matMul(kHat.mul(e));                      // (..., dh, dh) = sum eta k̂ k̂ᵀ
        NDArray erase1 = tr(hHat).matMul(hHat.mul(e));                      // (..., m, m)
        NDArray keep = a.clip(1e-6, 1.0).log().sum(new int[]{-1}, true).exp().expandDims(-1); // (..., 1, 1) = prod a_t
        NDArray w1n = w1.mul(keep).sub(w1.matMul(erase1)).sub(g[0]);
        NDArray w2n = w2.mul(keep).sub(w2.matMul(erase2)).sub(g[1]);
        return new NDArray[]{w1n, w2n};
    }

    /** Transpose of the last two axes. */
    static NDArray tr(NDArray x) {
        int n = x.getShape().dimension();
        return x.swapAxes(n - 2, n - 1);
    }

    static NDArray silu(NDArray p) {
        return p.mul(p.getNDArrayInternal().sigmoid());
    }

    /** Rows divided by their L2 norm (last axis). */
    public static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[]{-1}, true).add(1e-12).sqrt());
    }
}
