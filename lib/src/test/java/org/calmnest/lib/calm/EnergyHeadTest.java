package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

class EnergyHeadTest {

    private static EnergyHead head(NDManager m, int d, int l, int b) {
        EnergyHead head = new EnergyHead(d, l, b, 64);
        head.initialize(m, DataType.FLOAT32, new Shape(3, d), new Shape(2, 3, 64));
        return head;
    }

    @Test
    void shapesAndParameterCount() {
        TorchRuntime.seed(1);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            int d = 16, l = 8, b = 2;
            EnergyHead head = head(m, d, l, b);
            NDArray h = m.randomNormal(new Shape(5, d));
            NDArray z = head.sample(new ParameterStore(m, false), h, 4, false);
            assertThat(z.getShape()).isEqualTo(new Shape(4, 5, l));
            long count = 0;
            for (Pair<String, Parameter> p : head.getParameters()) {
                count += p.getValue().getArray().size();
            }
            long ln = 2L * d;
            long expected = (64L * d + d) + ln + (d * d + d) + ln
                    + b * (ln + (2L * d * d + d) + (d * d + d) + (2L * d * d + 2L * d) + (d * d + d))
                    + ln + (d * d + d) + ((long) d * l + l);
            assertThat(count).isEqualTo(expected);
        }
    }

    @Test
    void lastLinearIsZeroInitialisedSoEverySampleIsZero() {
        TorchRuntime.seed(2);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            EnergyHead head = head(m, 16, 8, 1);
            NDArray z = head.sample(new ParameterStore(m, false), m.randomNormal(new Shape(3, 16)), 4, false);
            assertThat(z.abs().max().getFloat()).isZero();
            var params = head.getParameters();
            int n = params.size();
            // the output Linear (weight, bias) is last and entirely zero; the layer before it is not
            assertThat(params.get(n - 2).getKey()).endsWith("out_weight");
            assertThat(params.get(n - 2).getValue().getArray().abs().max().getFloat()).isZero();
            assertThat(params.get(n - 1).getValue().getArray().abs().max().getFloat()).isZero();
            assertThat(params.get(n - 4).getValue().getArray().abs().max().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void samplesDependOnNoiseAndOnTheConditioningOnly() {
        TorchRuntime.seed(3);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            int d = 16;
            EnergyHead head = head(m, d, 8, 2);
            // give the zero-initialised output layer weights so that samples differ
            for (Pair<String, Parameter> p : head.getParameters()) {
                NDArray a = p.getValue().getArray();
                if (a.abs().max().getFloat() == 0f && a.getShape().dimension() == 2) {
                    a.addi(m.randomNormal(0f, 0.1f, a.getShape(), DataType.FLOAT32));
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray h = m.randomNormal(new Shape(3, d));
            NDArray u = m.randomUniform(-0.5f, 0.5f, new Shape(2, 3, 64));
            NDArray z1 = head.forward(ps, new NDList(h, u), false).head();
            NDArray z2 = head.forward(ps, new NDList(h, u), false).head();
            assertThat(z1.sub(z2).abs().max().getFloat()).isZero(); // deterministic given u
            assertThat(z1.get(0).sub(z1.get(1)).abs().max().getFloat()).isGreaterThan(1e-4f); // noise matters
            NDArray z3 = head.forward(ps, new NDList(h.add(1f), u), false).head();
            assertThat(z1.sub(z3).abs().max().getFloat()).isGreaterThan(1e-4f); // h matters
            // a position's samples depend only on that position's h
            NDArray h2 = h.duplicate();
            h2.set(new ai.djl.ndarray.index.NDIndex("2"), 5f);
            NDArray z4 = head.forward(ps, new NDList(h2, u), false).head();
            assertThat(z1.get(":, 0:2").sub(z4.get(":, 0:2")).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void rejectsBadSizes() {
        assertThatThrownBy(() -> new EnergyHead(16, 0, 1, 64)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latent = 0");
        assertThatThrownBy(() -> new EnergyHead(16, 8, 0, 64)).hasMessageContaining("blocks = 0");
    }
}
