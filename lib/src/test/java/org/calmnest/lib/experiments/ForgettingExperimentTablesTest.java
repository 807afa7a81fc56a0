package org.calmnest.lib.experiments;

import org.calmnest.lib.nested.ContinualLearning;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ForgettingExperimentTablesTest {

    /** A hand-made 3-task run: bpb R rows after en, de, fr; baseline 6 bpb everywhere. */
    private static ContinualLearning.Result run(List<String> tasks) {
        double[][] bpb = {{3.0, 5.0, 5.5}, {3.6, 2.8, 5.2}, {3.9, 3.1, 2.5}};
        double[][] acc = {{0.30, 0.10, 0.10}, {0.20, 0.32, 0.12}, {0.18, 0.25, 0.34}};
        return new ContinualLearning.Result(tasks, acc, bpb, new double[]{0.05, 0.05, 0.05}, new double[]{6, 6, 6},
                List.of(), 100, new double[3]);
    }

    @Test
    void runTableGivesTheHandComputedMetrics() {
        String s = ForgettingExperimentTables.run("en-de-fr", "cms", 1, run(List.of("en", "de", "fr")));
        // ACC = (3.9 + 3.1 + 2.5) / 3; BWT = ((3.0 - 3.9) + (2.8 - 3.1)) / 2; FWT = ((6 - 5.0) + (6 - 5.2)) / 2
        // f_en^fr = 3.9 - min(3.0, 3.6) = 0.9, f_de^fr = 3.1 - 2.8 = 0.3, F = 0.6; f_en^de = 3.6 - 3.0 = 0.6
        assertThat(s).contains("bpb: ACC 3.1667, BWT -0.6000, FWT +0.9000, F 0.6000;")
                .contains("accuracy: ACC 0.2567, BWT -0.0950, FWT +0.0600, F 0.0950")
                .contains("en after de 0.6000;").contains("en after fr 0.9000;").contains("de after fr 0.3000;")
                .contains("| untrained | 6.0000 | 6.0000 | 6.0000 | 0.0500 |")
                .contains("| fr | 3.9000 | 3.1000 | 2.5000 | 0.1800 | 0.2500 | 0.3400 |");
    }

    @Test
    void meansAverageRunsPerArmAndRejectMixedSequences() {
        Map<String, List<ContinualLearning.Result>> byArm = new LinkedHashMap<>();
        byArm.put("cms", List.of(run(List.of("en", "de", "fr")), run(List.of("en", "de", "fr"))));
        String s = ForgettingExperimentTables.means(byArm);
        assertThat(s).contains("(en -> de -> fr)")
                .contains("| cms | 2 | 3.1667 | -0.6000 | 0.9000 | 0.6000 | 0.2567 | -0.0950 | 0.0600 | 0.0950 | 0.6000 | 0.9000 | 0.3000 |");
        byArm.put("hope", List.of(run(List.of("de", "en", "fr"))));
        assertThatThrownBy(() -> ForgettingExperimentTables.means(byArm))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one task sequence");
    }
}
