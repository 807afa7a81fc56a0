package org.calmnest.lib.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Autograd through RoPE, the causal mask and the cache-free path against central differences, in float64. */
class BackboneGradientTest {

    @Test
    void autogradMatchesFiniteDifferencesInFloat64() {
        BackboneConfig cfg = new BackboneConfig(8, 2, 2, 12, 8, 10000);
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            TorchRuntime.seed(3);
            TransformerBackbone bb = new TransformerBackbone(cfg);
            bb.initialize(m, DataType.FLOAT64, new Shape(1, 5, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(1, 5, 8)).toType(DataType.FLOAT64, false);
            NDArray r = m.randomNormal(new Shape(1, 5, 8)).toType(DataType.FLOAT64, false);
            Parameter qkv = bb.blocks().get(0).attention().getParameters().valueAt(0); // the qkv projection (3d, d)
            NDArray w = qkv.getArray();
            x.setRequiresGradient(true);
            double[] gx;
            double[] gw;
            try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                NDArray loss = bb.forward(ps, x, true).mul(r).sum(); // scalar
                gc.backward(loss);
                gx = x.getGradient().toDoubleArray();
                gw = w.getGradient().toDoubleArray();
            }
            TorchRuntime.noGrad();
            double h = 1e-6;
            // input entries at the first, a middle and the last position (the last only affects itself)
            for (int i : new int[] {0, 3, 17, 39}) {
                assertThat(gx[i]).as("dL/dx[%d]", i).isCloseTo(central(bb, ps, x, r, x, i, h), within(tolerance(gx[i])));
            }
            for (int i : new int[] {0, 50, 130, 191}) {
                assertThat(gw[i]).as("dL/dW_qkv[%d]", i).isCloseTo(central(bb, ps, x, r, w, i, h), within(tolerance(gw[i])));
            }
        }
    }

    /**
     * 1e-6 absolute plus 1e-5 relative: float64 central differences agree far better than that,
     * while any float32 step in the chain (about 1e-7 relative per op, amplified through two
     * layers) or a wrong gradient would not (a full run once saw 7.5e-6 on a large entry).
     */
    private static double tolerance(double g) {
        return 1e-6 + 1e-5 * Math.abs(g);
    }

    /** (L(a + h e_i) - L(a - h e_i)) / 2h with a perturbed in place and restored. */
    private static double central(TransformerBackbone bb, ParameterStore ps, NDArray x, NDArray r, NDArray a, int i, double h) {
        double[] v = a.toDoubleArray();
        double orig = v[i];
        v[i] = orig + h;
        a.set(v);
        double up = bb.forward(ps, x, false).mul(r).sum().getDouble();
        v[i] = orig - h;
        a.set(v);
        double down = bb.forward(ps, x, false).mul(r).sum().getDouble();
        v[i] = orig;
        a.set(v);
        return (up - down) / (2 * h);
    }
}
