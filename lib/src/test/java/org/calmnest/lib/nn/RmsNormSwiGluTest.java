package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RmsNormSwiGluTest {

    static {
        TorchRuntime.engine();
    }

    @Test
    void rmsNormKeepsShapeOfAnyRank() {
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(8);
            norm.initialize(m, DataType.FLOAT32, new Shape(2, 8));
            ParameterStore ps = new ParameterStore(m, false);
            for (Shape s : new Shape[] {new Shape(8), new Shape(3, 8), new Shape(2, 3, 8), new Shape(2, 2, 3, 8)}) {
                NDArray y = norm.forward(ps, new NDList(m.randomNormal(s)), false).singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(s);
            }
            assertThat(norm.getOutputShapes(new Shape[] {new Shape(5, 8)})[0]).isEqualTo(new Shape(5, 8));
        }
    }

    @Test
    void rmsNormKnownAnswerWithScale() {
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(2, 1e-6f);
            norm.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            norm.scale().getArray().set(new float[] {1f, 2f});
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = norm.forward(ps, new NDList(m.create(new float[] {3f, 4f}, new Shape(1, 2))), false)
                    .singletonOrThrow();
            double rms = Math.sqrt((9 + 16) / 2.0 + 1e-6);
            float[] v = y.toFloatArray();
            assertThat((double) v[0]).isCloseTo(3 / rms, within(1e-5));
            assertThat((double) v[1]).isCloseTo(2 * 4 / rms, within(1e-5));
        }
    }

    @Test
    void rmsNormScaleIsTrainable() {
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(4);
            norm.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore ps = new ParameterStore(m, false);
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray y = norm.forward(ps, new NDList(m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4))), true)
                        .singletonOrThrow();
                gc.backward(y.sum());
            }
            float[] grad = norm.scale().getArray().getGradient().toFloatArray();
            assertThat(grad[3]).isGreaterThan(grad[0]).isGreaterThan(0f);
        }
    }

    @Test
    void swiGluKeepsShapeOfAnyRank() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwiGlu ff = new SwiGlu(6, 10);
            ff.initialize(m, DataType.FLOAT32, new Shape(2, 6));
            ParameterStore ps = new ParameterStore(m, false);
            for (Shape s : new Shape[] {new Shape(6), new Shape(3, 6), new Shape(2, 3, 6), new Shape(2, 2, 3, 6)}) {
                NDArray y = ff.forward(ps, new NDList(m.randomNormal(s)), false).singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(s);
            }
            // three bias-free projections: 2 * (10 x 6) + (6 x 10)
            long count = ff.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(count).isEqualTo(3 * 60);
            assertThat(ff.getParameters().values().stream().map(Parameter::getType))
                    .containsOnly(Parameter.Type.WEIGHT);
        }
    }

    @Test
    void swiGluKnownAnswer() {
        try (NDManager m = NDManager.newBaseManager()) {
            SwiGlu ff = new SwiGlu(2, 1);
            ff.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            // gate = [1, 0], up = [0, 1], down = [[1], [2]]  =>  y = silu(x0) * x1 * [1, 2]
            ff.gate().getParameters().get("weight").getArray().set(new float[] {1f, 0f});
            ff.up().getParameters().get("weight").getArray().set(new float[] {0f, 1f});
            ff.down().getParameters().get("weight").getArray().set(new float[] {1f, 2f});
            ParameterStore ps = new ParameterStore(m, false);
            NDArray y = ff.forward(ps, new NDList(m.create(new float[] {1.5f, -2f}, new Shape(1, 2))), false)
                    .singletonOrThrow();
            double silu = 1.5 / (1 + Math.exp(-1.5));
            float[] v = y.toFloatArray();
            assertThat((double) v[0]).isCloseTo(silu * -2, within(1e-5));
            assertThat((double) v[1]).isCloseTo(2 * silu * -2, within(1e-5));
        }
    }

    @Test
    void badWidthsAreRejectedWithTheFix() {
        assertThatThrownBy(() -> new RmsNorm(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dim = 0");
        assertThatThrownBy(() -> new SwiGlu(4, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner = 0");
        try (NDManager m = NDManager.newBaseManager()) {
            RmsNorm norm = new RmsNorm(4);
            norm.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore ps = new ParameterStore(m, false);
            assertThatThrownBy(() -> norm.forward(ps, new NDList(m.ones(new Shape(2, 5))), false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(..., 4)");
        }
    }
}
