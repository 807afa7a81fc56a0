package org.calmnest.dsl.result;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.calmnest.dsl.Calmnest.compareForgetting;

class ArmComparisonTest {

    /** Two tasks; task 0 accuracy drops from 0.5 to {@code after} once task 1 is learned. */
    static ForgettingReport report(double after) {
        String[] t = {"en", "de"};
        return new ForgettingReport("m", t, new double[][] {{0.5, 0.1}, {after, 0.6}}, new double[] {0.1, 0.1},
                new double[][] {{1.5, 3.0}, {2.0, 1.6}}, new double[] {4.0, 4.0});
    }

    @Test
    void knownForgettingAndBootstrapInterval() {
        ForgettingReport r = report(0.3);
        assertThat(r.accuracy().averageForgetting()).isCloseTo(0.2, within(1e-12));
        assertThat(r.accuracy().backwardTransfer()).isCloseTo(-0.2, within(1e-12));
        assertThat(r.loss().averageForgetting()).isCloseTo(0.5, within(1e-12));
        assertThat(r.table().doubleColumn("accuracy").get(0)).isCloseTo(0.45, within(1e-12));

        Map<String, List<ForgettingReport>> arms = new LinkedHashMap<>();
        arms.put("cms", List.of(report(0.3), report(0.4), report(0.35)));
        arms.put("control", List.of(report(0.2)));
        ArmComparison c = compareForgetting(arms);
        var t = c.table();
        assertThat(t.stringColumn("arm").asList()).containsExactly("cms", "control");
        assertThat(t.doubleColumn("forgetting").get(0)).isCloseTo(0.15, within(1e-12));
        assertThat(t.doubleColumn("ci95Low").get(0)).isBetween(0.1 - 1e-12, 0.15);
        assertThat(t.doubleColumn("ci95High").get(0)).isBetween(0.15, 0.2 + 1e-12);
        assertThat(t.doubleColumn("ci95Low").get(1)).isEqualTo(t.doubleColumn("ci95High").get(1));
        assertThat(c.plot().getSeriesMap().keySet()).containsExactly("mean", "95% CI low", "95% CI high");
        assertThat(c.plot().getSeriesMap().get("mean").getXData().toString()).isEqualTo("[cms, control]");
        assertThat(c.table().doubleColumn("ci95Low").get(0)).isEqualTo(t.doubleColumn("ci95Low").get(0));
        assertThatThrownBy(() -> compareForgetting(Map.of("x", List.of()))).hasMessageContaining("arm \"x\" has no runs");
    }
}
