package org.calmnest.lib.calm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A source of independent draws from a distribution P over discrete outcomes (for CALM: K-token
 * tuples from the energy head followed by the autoencoder's argmax decoding). Outcomes are
 * compared with {@code equals}; wrap int[] tuples in {@link IntTuple}. Drawing n at once lets a
 * neural sampler use one batched forward pass.
 */
@FunctionalInterface
public interface DiscreteSampler<T> {

    /** {@code n >= 1} independent draws from P. */
    List<T> draw(int n);

    /** Adapts a one-at-a-time supplier. */
    static <T> DiscreteSampler<T> of(Supplier<T> one) {
        return n -> {
            List<T> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(one.get());
            }
            return out;
        };
    }

    /** A tuple of ids with value equality, for samplers of int[] (K tokens of a chunk). */
    record IntTuple(int[] ids) {
        public IntTuple {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IntTuple t && java.util.Arrays.equals(ids, t.ids);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return java.util.Arrays.toString(ids);
        }
    }
}
