package org.calmnest.lib.experiments;

import org.calmnest.lib.eval.ForgettingMatrix;
import org.calmnest.lib.nested.ContinualLearning;

import java.util.List;
import java.util.Map;

/**
 * Markdown tables of {@link ForgettingExperiment} runs over three or more tasks: the R matrices
 * (accuracy and bits per byte, with the untrained baseline row), the standard metrics of
 * NESTED.md section 5 (ACC, BWT, FWT, average forgetting F after the last task) and every
 * forgetting f_j^k (task j after task k), per run and as means per arm.
 */
final class ForgettingExperimentTables {

    private ForgettingExperimentTables() {
    }

    /** The R matrices and metrics of one run. */
    static String run(String direction, String arm, int seed, ContinualLearning.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### ").append(direction).append(' ').append(arm).append(" seed ").append(seed).append("\n\n");
        List<String> t = r.tasks();
        sb.append("| R after task | ");
        t.forEach(x -> sb.append(x).append(" bpb | "));
        t.forEach(x -> sb.append(x).append(" acc | "));
        sb.append("\n|---|").append("---|".repeat(2 * t.size())).append('\n');
        sb.append(row("untrained", r.baselineBpb(), r.baselineAcc()));
        for (int i = 0; i < t.size(); i++) {
            sb.append(row(t.get(i), r.bitsPerByte()[i], r.accuracy()[i]));
        }
        ForgettingMatrix.Summary b = r.bitsPerByteMatrix().summary();
        ForgettingMatrix.Summary a = r.accuracyMatrix().summary();
        sb.append(String.format("%nbpb: ACC %.4f, BWT %+.4f, FWT %+.4f, F %.4f; accuracy: ACC %.4f, BWT %+.4f, FWT %+.4f, F %.4f%n",
                b.average(), b.backwardTransfer(), b.forwardTransfer(), b.averageForgetting(),
                a.average(), a.backwardTransfer(), a.forwardTransfer(), a.averageForgetting()));
        sb.append("forgetting (bpb, positive = forgot):");
        for (int k = 1; k < t.size(); k++) {
            for (int j = 0; j < k; j++) {
                sb.append(String.format(" %s after %s %.4f;", t.get(j), t.get(k), r.bitsPerByteMatrix().forgetting(j, k)));
            }
        }
        return sb.append('\n').toString();
    }

    private static String row(String name, double[] bpb, double[] acc) {
        StringBuilder sb = new StringBuilder("| ").append(name).append(" | ");
        for (double v : bpb) {
            sb.append(String.format("%.4f | ", v));
        }
        for (double v : acc) {
            sb.append(String.format("%.4f | ", v));
        }
        return sb.append('\n').toString();
    }

    /** Means over the runs of each arm (one row per arm; runs must share their task sequence). */
    static String means(Map<String, List<ContinualLearning.Result>> byArm) {
        if (byArm.isEmpty()) {
            return "";
        }
        List<String> t = byArm.values().iterator().next().get(0).tasks();
        StringBuilder sb = new StringBuilder("\n## Multi-task metrics, mean over runs per arm (" + String.join(" -> ", t) + ")\n\n");
        sb.append("| arm | runs | ACC bpb | BWT bpb | FWT bpb | F bpb | ACC acc | BWT acc | FWT acc | F acc |");
        for (int k = 1; k < t.size(); k++) {
            for (int j = 0; j < k; j++) {
                sb.append(" f ").append(t.get(j)).append(" after ").append(t.get(k)).append(" |");
            }
        }
        int pairs = t.size() * (t.size() - 1) / 2;
        sb.append("\n|---|---|").append("---|".repeat(8 + pairs)).append('\n');
        for (Map.Entry<String, List<ContinualLearning.Result>> e : byArm.entrySet()) {
            List<ContinualLearning.Result> rs = e.getValue();
            double[] m = new double[8 + pairs];
            for (ContinualLearning.Result r : rs) {
                if (!r.tasks().equals(t)) {
                    throw new IllegalArgumentException("ForgettingExperimentTables: arm " + e.getKey() + " has a run over " + r.tasks()
                            + " but the table is for " + t + "; use one task sequence per multi-task run");
                }
                ForgettingMatrix bpb = r.bitsPerByteMatrix();
                ForgettingMatrix.Summary b = bpb.summary();
                ForgettingMatrix.Summary a = r.accuracyMatrix().summary();
                double[] v = {b.average(), b.backwardTransfer(), b.forwardTransfer(), b.averageForgetting(),
                        a.average(), a.backwardTransfer(), a.forwardTransfer(), a.averageForgetting()};
                for (int i = 0; i < v.length; i++) {
                    m[i] += v[i] / rs.size();
                }
                int c = 8;
                for (int k = 1; k < t.size(); k++) {
                    for (int j = 0; j < k; j++) {
                        m[c++] += bpb.forgetting(j, k) / rs.size();
                    }
                }
            }
            sb.append("| ").append(e.getKey()).append(" | ").append(rs.size()).append(" |");
            for (double v : m) {
                sb.append(String.format(" %.4f |", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
