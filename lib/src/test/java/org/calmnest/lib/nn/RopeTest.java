package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RopeTest {

    @Test
    void dotProductDependsOnlyOnRelativePosition() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TorchRuntime.seed(1);
            NDArray q = m.randomNormal(new Shape(1, 1, 1, 16)).toType(DataType.FLOAT64, false);
            NDArray k = m.randomNormal(new Shape(1, 1, 1, 16)).toType(DataType.FLOAT64, false);
            double ref = Rope.apply(q, 9, 10000).mul(Rope.apply(k, 4, 10000)).sum().getDouble();
            double shifted = Rope.apply(q, 30, 10000).mul(Rope.apply(k, 25, 10000)).sum().getDouble();
            double other = Rope.apply(q, 9, 10000).mul(Rope.apply(k, 7, 10000)).sum().getDouble();
            assertThat(shifted).isCloseTo(ref, within(1e-5));
            assertThat(Math.abs(other - ref)).isGreaterThan(1e-3);
        }
    }

    @Test
    void rotationKeepsNormsAndPositionZeroIsIdentity() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TorchRuntime.seed(2);
            NDArray x = m.randomNormal(new Shape(2, 3, 5, 8));
            NDArray r = Rope.apply(x, 3, 10000);
            float[] n0 = x.square().sum(new int[] {3}).toFloatArray();
            float[] n1 = r.square().sum(new int[] {3}).toFloatArray();
            for (int i = 0; i < n0.length; i++) {
                assertThat(n1[i]).isCloseTo(n0[i], within(1e-4f));
            }
            // the first row of offset 0 has angle 0: unchanged
            NDArray r0 = Rope.apply(x, 0, 10000);
            assertThat(r0.get(":, :, 0, :").sub(x.get(":, :, 0, :")).abs().max().getFloat()).isEqualTo(0f);
            // offset 3 of row 0 equals row 3 of offset 0
            assertThat(r.get(":, :, 0, :").sub(Rope.apply(x.get(":, :, 0:1, :").broadcast(2, 3, 4, 8), 0, 10000)
                    .get(":, :, 3, :")).abs().max().getFloat()).isLessThan(1e-5f);
        }
    }
}
