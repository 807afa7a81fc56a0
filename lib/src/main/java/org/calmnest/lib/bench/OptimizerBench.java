package org.calmnest.lib.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.AdamW;
import org.calmnest.lib.train.ParameterGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The optimiser phase alone: one AdamW update of every parameter of the benchmark Transformer at
 * width d, with the engine's fused kernel ({@link AdamW}, the default) and operation by operation
 * ({@link AdamW#unfused}), rounds interleaved so that both see the same load. Gradients are fixed
 * random tensors of the parameters' shapes; weights are copies, so the model is not changed.
 */
public final class OptimizerBench {

    /** Median milliseconds per full update of all parameters, fused and unfused. */
    public record Row(int d, long parameters, int tensors, double fusedMs, double unfusedMs) {
        public double ratio() {
            return fusedMs / unfusedMs;
        }
    }

    private OptimizerBench() {
    }

    public static List<Row> run(BenchOptions o, Device device, Report.Section s) {
        int rounds = o.quick() ? 5 : 21;
        List<Row> rows = new ArrayList<>();
        s.columns("d", "parameters", "tensors", "fused ms/update", "unfused ms/update", "fused ÷ unfused");
        for (int d : o.widths()) {
            try (TokenLm model = BenchModels.transformer(d, device);
                 NDManager m = TorchRuntime.engine().newBaseManager(device)) {
                List<NDArray> weights = new ArrayList<>();
                List<NDArray> grads = new ArrayList<>();
                long count = 0;
                for (ParameterGroup g : model.parameterGroups()) {
                    for (Parameter p : g.params()) {
                        NDArray w = p.getArray().duplicate();
                        w.attach(m);
                        weights.add(w);
                        NDArray gr = m.randomNormal(w.getShape(), w.getDataType()).muli(1e-3);
                        grads.add(gr);
                        count += w.getShape().size();
                    }
                }
                AdamW fused = new AdamW(0.9, 0.95, 1e-8, 0.1);
                AdamW unfused = AdamW.unfused(0.9, 0.95, 1e-8, 0.1);
                double[] tf = new double[rounds];
                double[] tu = new double[rounds];
                for (int r = -2; r < rounds; r++) { // two warm-up rounds
                    double a = time(fused, weights, grads, r + 3, m);
                    double b = time(unfused, weights, grads, r + 3, m);
                    if (r >= 0) {
                        tf[r] = a;
                        tu[r] = b;
                    }
                }
                Row row = new Row(d, count, weights.size(), median(tf), median(tu));
                rows.add(row);
                s.row(d, count, weights.size(), String.format("%.2f", row.fusedMs()), String.format("%.2f", row.unfusedMs()),
                        String.format("%.2f", row.ratio()));
                System.out.printf("  optimizer d=%d: fused %.2f ms, unfused %.2f ms per update (x%.2f)%n",
                        d, row.fusedMs(), row.unfusedMs(), row.ratio());
            }
        }
        s.note("One AdamW update (weight decay 0.1 on matrices) of every parameter tensor of the benchmark Transformer, "
                + "median of " + rounds + " interleaved rounds after 2 warm-up rounds. Fused: one native call per tensor "
                + "(NDArrayEx.adamUpdate); unfused: m, v, decay and the step as separate NDArray operations "
                + "(about fourteen calls and five temporaries per tensor). AdamWTest checks that both give the same weights.");
        return rows;
    }

    private static double time(AdamW opt, List<NDArray> weights, List<NDArray> grads, long t, NDManager m) {
        long t0 = System.nanoTime();
        for (int i = 0; i < weights.size(); i++) {
            opt.update("p" + i, weights.get(i), grads.get(i), 1e-3, t, m);
        }
        weights.get(0).toFloatArray(); // wait for the last update (a no-op wait on the CPU)
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
