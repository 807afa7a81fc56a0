package org.calmnest.dsl.result;

import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

    static History sample() {
        List<StepRecord> s = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            s.add(new StepRecord(i, 100L * i, 5.0 - 0.3 * i, 1e-3, 1.0, 1000, 1e6 * i, 0.1 * i));
        }
        List<EvalRecord> e = List.of(new EvalRecord(5, 500, 5e6, 3.9, Map.of("accuracy", 0.4)),
                new EvalRecord(10, 1000, 1e7, 2.5, Map.of("accuracy", 0.6)));
        return new History("tiny", s, e, false);
    }

    @Test
    void tablesHaveOneRowPerRecord() {
        History h = sample();
        Table t = h.table();
        assertThat(t.rowCount()).isEqualTo(10);
        assertThat(t.columnNames()).containsExactly("step", "tokens", "flops", "loss", "lr", "gradNorm", "tokensPerSecond", "seconds");
        Table e = h.evals();
        assertThat(e.columnNames()).containsExactly("step", "tokens", "flops", "valLoss", "accuracy");
        assertThat(e.doubleColumn("accuracy").get(1)).isEqualTo(0.6);
        assertThat(h.stepCount()).isEqualTo(10);
        assertThat(h.flops()).isEqualTo(1e7);
        assertThat(h.lastValidationLoss()).isEqualTo(2.5);
        assertThat(h.lastMetric("accuracy")).isEqualTo(0.6);
    }

    @Test
    void plotsAgainstEachAxis() {
        History h = sample();
        XYChart c = h.plot("flops");
        assertThat(c.getSeriesMap().keySet()).containsExactly("train loss", "validation loss");
        assertThat(c.getSeriesMap().get("train loss").getXData()).hasSize(10);
        assertThat(c.getSeriesMap().get("validation loss").getXData()).hasSize(2);
        assertThat(c.getXAxisTitle()).isEqualTo("training FLOPs");
        assertThat(h.plot().getXAxisTitle()).isEqualTo("step");
        assertThat(h.plot("tokens").getSeriesMap().get("validation loss").getXData()).containsExactly(500.0, 1000.0);
        assertThatThrownBy(() -> h.plot("epochs")).hasMessageContaining("plot(\"epochs\")").hasMessageContaining("[step, tokens, flops, seconds]");
    }

    @Test
    void continuedRunsAppendAndTextIsShort() {
        History h = sample();
        History longer = h.append(List.of(new StepRecord(11, 1100, 1.5, 1e-3, 1, 1000, 1.1e7, 0.1)), List.of(), true);
        assertThat(longer.stepCount()).isEqualTo(11);
        assertThat(h.stepCount()).isEqualTo(10);
        assertThat(longer.cancelled()).isTrue();
        assertThat(longer.seconds()).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(h.toString()).doesNotContain("\n").startsWith("History[tiny: 10 steps");
        assertThat(h.summary().split("\n").length).isLessThanOrEqualTo(15);
        assertThat(h.sparkline(10)).hasSize(10).startsWith("█").endsWith("▁");
        Map<String, Object> bundle = h.mimeBundle();
        assertThat(bundle).containsKeys("text/plain", "text/html", "image/png");
    }
}
