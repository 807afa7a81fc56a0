package org.calmnest.lib.nn;

import ai.djl.ndarray.types.Shape;

/** The shape check of layers that act on the last axis of any rank (norms, feed-forward blocks). */
final class LastAxis {

    private LastAxis() {
    }

    /**
     * Throws an IllegalArgumentException naming the layer, the shape and the fix unless the last
     * axis of {@code s} has size {@code dim}.
     *
     * @param layer e.g. "RmsNorm" or "SwiGlu"
     * @param role  e.g. "this norm" or "this layer"
     */
    static void require(String layer, String role, Shape s, int dim) {
        if (s.dimension() < 1 || s.get(s.dimension() - 1) != dim) {
            throw new IllegalArgumentException(layer + ": input shape " + s + " has last axis "
                    + (s.dimension() < 1 ? "none" : s.get(s.dimension() - 1)) + " but " + role + " has dim = " + dim
                    + "; pass (..., " + dim + ")");
        }
    }
}
