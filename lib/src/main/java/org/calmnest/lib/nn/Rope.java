package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding (Su et al., RoFormer), in the "rotate half" layout of Llama: the
 * head vector is split into halves (x1, x2) and each pair (x1_i, x2_i) at position p is rotated
 * by the angle {@code p * theta^(-2i / hd)}:
 * {@code rope(x, p) = [x1 cos - x2 sin, x2 cos + x1 sin]}. Then {@code <rope(q, m), rope(k, n)>}
 * depends on m - n only, which is what makes a KV cache valid: cached keys keep their rotation.
 */
public final class Rope {

    private Rope() {
    }

    /**
     * Rotates {@code x} of shape (B, H, T, hd) as positions {@code offset .. offset + T - 1}.
     * The angle table is computed in double precision on the host, then cast to x's type.
     */
    public static NDArray apply(NDArray x, int offset, double theta) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(3) % 2 != 0) {
            throw new IllegalArgumentException("Rope.apply: x has shape " + s
                    + "; expected (B, H, T, hd) with an even head width hd");
        }
        NDArray[] cs = tables(x.getManager(), offset, (int) s.get(2), (int) s.get(3), theta, x.getDataType());
        return apply(x, cs[0], cs[1]);
    }

    /**
     * The cos and sin tables, each (1, 1, T, hd/2), for positions {@code offset .. offset + T - 1};
     * computed in double precision on the host, then cast to {@code type}.
     */
    public static NDArray[] tables(NDManager m, int offset, int t, int hd, double theta, DataType type) {
        int half = hd / 2;
        float[] cos = new float[t * half];
        float[] sin = new float[t * half];
        for (int i = 0; i < half; i++) {
            double freq = Math.pow(theta, -2.0 * i / hd);
            for (int p = 0; p < t; p++) {
                double angle = (offset + p) * freq;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        NDArray c = m.create(cos, new Shape(1, 1, t, half)); // (1, 1, T, hd/2)
        NDArray sn = m.create(sin, new Shape(1, 1, t, half));
        return type == DataType.FLOAT32 ? new NDArray[] {c, sn} : new NDArray[] {c.toType(type, false), sn.toType(type, false)};
    }

    /** Rotates x (B, H, T, hd) with precomputed tables from {@link #tables}. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDList halves = x.split(2, 3);
        NDArray x1 = halves.get(0); // (B, H, T, hd/2)
        NDArray x2 = halves.get(1);
        NDArray r1 = x1.mul(cos).sub(x2.mul(sin));
        NDArray r2 = x2.mul(cos).add(x1.mul(sin));
        return r1.concat(r2, 3); // (B, H, T, hd)
    }
}
