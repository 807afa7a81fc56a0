package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TransformerBackboneTest {

    private static final BackboneConfig CFG = new BackboneConfig(32, 2, 4, 64, 16, 10000);

    private static TransformerBackbone backbone(NDManager m) {
        TorchRuntime.seed(7);
        TransformerBackbone bb = new TransformerBackbone(CFG);
        bb.initialize(m, DataType.FLOAT32, new Shape(1, 4, CFG.d()));
        return bb;
    }

    @Test
    void shapesAndParameterCount() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = backbone(m);
            NDArray y = bb.forward(new ParameterStore(m, false), m.randomNormal(new Shape(3, 10, 32)), false);
            assertThat(y.getShape()).isEqualTo(new Shape(3, 10, 32));
            long params = bb.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            // per layer: qkv 3d^2 + out d^2 + SwiGLU 3 d f + 2 norms d; final norm d
            long d = 32, f = 64;
            assertThat(params).isEqualTo(2 * (4 * d * d + 3 * d * f + 2 * d) + d);
        }
    }

    @Test
    void changingAFuturePositionNeverChangesEarlierOutputs() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = backbone(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 12, 32));
            float[] before = bb.forward(ps, x, false).toFloatArray();
            for (int changed : new int[] {11, 6, 1}) {
                NDArray x2 = x.duplicate();
                x2.set(new NDIndex(":, " + changed + ", :"), m.randomNormal(new Shape(2, 32)).mul(3));
                float[] after = bb.forward(ps, x2, false).toFloatArray();
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < 12; t++) {
                        double maxDiff = 0;
                        for (int c = 0; c < 32; c++) {
                            int i = (b * 12 + t) * 32 + c;
                            maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
                        }
                        if (t < changed) {
                            assertThat(maxDiff).as("row %d before changed %d", t, changed).isEqualTo(0.0);
                        } else if (t == changed) {
                            assertThat(maxDiff).as("the changed row itself").isGreaterThan(1e-3);
                        }
                    }
                }
            }
        }
    }

    @Test
    void cachedIncrementalForwardEqualsFullForward() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = backbone(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 11, 32));
            float[] full = bb.forward(ps, x, false).toFloatArray();
            try (KvCache cache = bb.newCache(m)) {
                // prompt of 5, then single positions, then a chunk of 3, then 1
                int[][] pieces = {{0, 5}, {5, 6}, {6, 7}, {7, 10}, {10, 11}};
                for (int[] p : pieces) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray part = x.get(new NDIndex(":, " + p[0] + ":" + p[1] + ", :"));
                        part.attach(step);
                        float[] got = bb.forward(ps, part, cache).toFloatArray();
                        int len = p[1] - p[0];
                        for (int b = 0; b < 2; b++) {
                            for (int t = 0; t < len; t++) {
                                for (int c = 0; c < 32; c++) {
                                    assertThat(got[(b * len + t) * 32 + c])
                                            .isCloseTo(full[(b * 11 + p[0] + t) * 32 + c], within(2e-5f));
                                }
                            }
                        }
                    }
                }
                assertThat(cache.length()).isEqualTo(11);
            }
        }
    }

    @Test
    void prefixCacheContinuesLikeAFullPassOverThePrefixPlusTheNewRows() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = backbone(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 10, 32));
            NDArray extra = m.randomNormal(new Shape(4, 2, 32)); // rows b*2 + r
            try (KvCache cache = bb.newCache(m)) {
                bb.forward(ps, x, cache);
                try (KvCache pre = cache.prefix(m, 4, 2)) {
                    assertThat(pre.length()).isEqualTo(4);
                    float[] got = bb.forward(ps, extra, pre).toFloatArray(); // (4, 2, 32)
                    for (int row = 0; row < 4; row++) {
                        NDArray seq = x.get(new NDIndex((row / 2) + ":" + (row / 2 + 1) + ", 0:4, :"))
                                .concat(extra.get(new NDIndex(row + ":" + (row + 1))), 1); // (1, 6, 32)
                        float[] full = bb.forward(ps, seq, false).toFloatArray();
                        for (int t = 0; t < 2; t++) {
                            for (int c = 0; c < 32; c++) {
                                assertThat(got[(row * 2 + t) * 32 + c]).isCloseTo(full[(4 + t) * 32 + c], within(2e-5f));
                            }
                        }
                    }
                }
                assertThat(cache.length()).isEqualTo(10);
            }
        }
    }

    @Test
    void contextAndShapeErrorsNameTheFix() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TransformerBackbone bb = backbone(m);
            ParameterStore ps = new ParameterStore(m, false);
            assertThatThrownBy(() -> bb.forward(ps, m.zeros(new Shape(1, 17, 32)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context 16");
            assertThatThrownBy(() -> bb.forward(ps, m.zeros(new Shape(1, 3, 31)), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d = 32");
            try (KvCache cache = bb.newCache(m)) {
                bb.forward(ps, m.zeros(new Shape(1, 10, 32)), cache);
                assertThatThrownBy(() -> bb.forward(ps, m.zeros(new Shape(1, 7, 32)), cache))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceed the context 16");
            }
        }
    }

    @Test
    void configValidationNamesFieldValueAndFix() {
        assertThatThrownBy(() -> new BackboneConfig(30, 2, 4, 64, 16, 10000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heads = 4").hasMessageContaining("divisible");
        assertThatThrownBy(() -> new BackboneConfig(12, 2, 4, 64, 16, 10000))
                .hasMessageContaining("must be even");
        assertThatThrownBy(() -> new BackboneConfig(32, 0, 4, 64, 16, 10000)).hasMessageContaining("layers = 0");
        assertThatThrownBy(() -> new BackboneConfig(32, 2, 4, 64, 0, 10000)).hasMessageContaining("context = 0");
        assertThatThrownBy(() -> new BackboneConfig(32, 2, 4, 64, 16, 1)).hasMessageContaining("ropeTheta");
        assertThat(BackboneConfig.small().withLayers(8).layers()).isEqualTo(8);
    }
}
