package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * What every layer of one pass over positions {@code offset .. offset + T - 1} shares: the RoPE
 * tables and the additive causal mask, built once per pass instead of once per layer.
 *
 * @param cos        (1, 1, T, hd/2)
 * @param sin        (1, 1, T, hd/2)
 * @param causalBias (1, 1, T, offset + T): 0 where query i may see key j (j <= offset + i), -inf elsewhere
 */
record Positions(NDArray cos, NDArray sin, NDArray causalBias) {

    static Positions of(NDManager m, BackboneConfig c, int offset, int t, DataType type) {
        NDArray[] cs = Rope.tables(m, offset, t, c.headDim(), c.ropeTheta(), type);
        return new Positions(cs[0], cs[1], CausalSelfAttention.causalBias(m, t, offset + t, offset, type));
    }
}
