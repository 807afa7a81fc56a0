package org.calmnest.lib.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.GroupOptimizer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MomentumOptimizersTest {

    private static double[] run(GroupOptimizer opt, double[][] grads, double lr) {
        TorchRuntime.seed(7);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            NDArray w = m.create(new double[]{1, 2, -1, 0.5, 3, -2}, new Shape(2, 3));
            for (int t = 0; t < grads.length; t++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray g = step.create(grads[t], new Shape(2, 3));
                    opt.update("w", w, g, lr, t + 1, m);
                }
            }
            return w.toDoubleArray();
        }
    }

    private static double[][] randomGrads(int steps, long seed) {
        Random r = new Random(seed);
        double[][] g = new double[steps][6];
        for (double[] row : g) {
            for (int i = 0; i < row.length; i++) {
                row[i] = r.nextGaussian();
            }
        }
        return g;
    }

    @Test
    void momentumMatchesHandComputation() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            Momentum opt = new Momentum(0.9);
            NDArray w = m.create(new double[]{1, 2});
            opt.update("w", w, m.create(new double[]{0.5, -1}), 0.1, 1, m);
            assertThat(w.toDoubleArray()).containsExactly(new double[]{0.95, 2.1}, within(1e-12));
            opt.update("w", w, m.create(new double[]{1, 1}), 0.1, 2, m);
            // m = 0.9 * (-0.05, 0.1) - 0.1 * (1, 1) = (-0.145, -0.01)
            assertThat(w.toDoubleArray()).containsExactly(new double[]{0.805, 2.09}, within(1e-12));
        }
    }

    @Test
    void deltaMomentumMatchesHandComputation() {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            DeltaMomentum opt = new DeltaMomentum(0.9, 1.0);
            NDArray w = m.create(new double[]{1, 2});
            opt.update("w", w, m.create(new double[]{0.5, -1}), 0.1, 1, m);
            assertThat(w.toDoubleArray()).containsExactly(new double[]{0.95, 2.1}, within(1e-12));
            // m = 0.9 m - g (gᵀm)/(gᵀg) - 0.1 g with m = (-0.05, 0.1), g = (1, 1): gᵀm/gᵀg = 0.025
            opt.update("w", w, m.create(new double[]{1, 1}), 0.1, 2, m);
            assertThat(w.toDoubleArray()).containsExactly(new double[]{0.78, 2.065}, within(1e-12));
        }
    }

    @Test
    void deltaMomentumWithoutEraseIsMomentum() {
        double[][] g = randomGrads(6, 1);
        assertThat(run(new DeltaMomentum(0.8, 0.0), g, 0.05)).containsExactly(run(new Momentum(0.8), g, 0.05), within(1e-15));
        assertThat(run(new DeltaMomentum(0.8, 0.5), g, 0.05)).isNotEqualTo(run(new Momentum(0.8), g, 0.05));
    }

    @Test
    void deepMomentumWithoutDeepRateIsMomentum() {
        double[][] g = randomGrads(6, 2);
        assertThat(run(new DeepMomentum(0.9, 4, 0.0), g, 0.05)).containsExactly(run(new Momentum(0.9), g, 0.05), within(1e-15));
        double[] deep = run(new DeepMomentum(0.9, 4, 0.5), g, 0.05);
        assertThat(deep).isNotEqualTo(run(new Momentum(0.9), g, 0.05));
    }

    @Test
    void deepMomentumInnerGradientsMatchAutogradInFloat64() {
        TorchRuntime.seed(3);
        Engine engine = TorchRuntime.engine();
        try (NDManager m = engine.newBaseManager()) {
            int n = 7;
            int h = 3;
            NDArray u = m.randomNormal(0, 1, new Shape(n), DataType.FLOAT64);
            NDArray b = m.randomNormal(0, 1, new Shape(n), DataType.FLOAT64);
            NDArray w1 = m.randomNormal(0, 1, new Shape(n, h), DataType.FLOAT64);
            NDArray w2 = m.randomNormal(0, 1, new Shape(h, n), DataType.FLOAT64);
            NDArray[] hand;
            try (NDManager tmp = m.newSubManager()) {
                hand = DeepMomentum.innerGradients(u, w1, w2, tmp);
                for (NDArray x : hand) {
                    x.attach(m);
                }
            }
            b.setRequiresGradient(true);
            w1.setRequiresGradient(true);
            w2.setRequiresGradient(true);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray uhat = u.div(u.norm());
                NDArray out = b.add(w1.matMul(w2.matMul(uhat.reshape(-1, 1)).tanh()).reshape(-1));
                gc.backward(out.mul(u).sum());
            }
            assertThat(hand[0].toDoubleArray()).containsExactly(b.getGradient().toDoubleArray(), within(1e-12));
            assertThat(hand[1].toDoubleArray()).containsExactly(w1.getGradient().toDoubleArray(), within(1e-12));
            assertThat(hand[2].toDoubleArray()).containsExactly(w2.getGradient().toDoubleArray(), within(1e-12));
        }
    }

    @Test
    void deepMomentumMinimisesAQuadratic() {
        TorchRuntime.seed(5);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            DeepMomentum opt = new DeepMomentum(0.9, 4, 0.25);
            NDArray target = m.create(new double[]{1, -2, 3, 0.5});
            NDArray w = m.zeros(new Shape(4), DataType.FLOAT64);
            for (int t = 1; t <= 200; t++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray g = w.sub(target);           // gradient of ½||w - target||²
                    g.attach(step);
                    opt.update("w", w, g, 0.05, t, m);
                }
            }
            assertThat(w.toDoubleArray()).containsExactly(target.toDoubleArray(), within(1e-3));
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        double[][] g = randomGrads(4, 9);
        for (GroupOptimizer[] pair : new GroupOptimizer[][]{
                {new Momentum(0.9), new Momentum(0.9)},
                {new DeltaMomentum(0.9, 0.5), new DeltaMomentum(0.9, 0.5)},
                {new DeepMomentum(0.9, 2, 0.5), new DeepMomentum(0.9, 2, 0.5)}}) {
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                NDArray wa = m.create(new double[]{1, 2, -1, 0.5, 3, -2});
                for (int t = 0; t < 3; t++) {
                    pair[0].update("w", wa, m.create(g[t]), 0.1, t + 1, m);
                }
                NDArray wb = wa.duplicate();
                Map<String, NDArray> saved = new HashMap<>(pair[0].state());
                pair[1].loadState(saved, m);
                pair[0].update("w", wa, m.create(g[3]), 0.1, 4, m);
                pair[1].update("w", wb, m.create(g[3]), 0.1, 4, m);
                assertThat(wb.toDoubleArray()).as(pair[0].name()).containsExactly(wa.toDoubleArray(), within(1e-15));
                assertThat(pair[0].state()).isNotEmpty();
            }
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new Momentum(1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Momentum.decay = 1.0");
        assertThatThrownBy(() -> new DeltaMomentum(0.9, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("erase");
        assertThatThrownBy(() -> new DeepMomentum(0.9, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden");
        assertThatThrownBy(() -> new DeepMomentum(0.9, 4, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deepLrScale");
    }
}
