package org.calmnest.dsl.chart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartsTest {

    @Test
    void frontierHasOneSeriesPerModelOnALogAxis() {
        XYChart c = Charts.brierFrontier(List.of(new Series("calm", new double[] {1e9, 2e9}, new double[] {1, 2}),
                new Series("transformer", new double[] {3e9}, new double[] {2.5})));
        assertThat(c.getSeriesMap().keySet()).containsExactly("calm", "transformer");
        assertThat(c.getSeriesMap().get("calm").getXData()).hasSize(2);
        assertThat(c.getXAxisTitle()).isEqualTo("training FLOPs");
        assertThat(c.getYAxisTitle()).isEqualTo("BrierLM");
        assertThat(c.getStyler().isXAxisLogarithmic()).isTrue();
    }

    @Test
    void robustnessAndTaskCurves() {
        XYChart r = Charts.robustness(new double[] {0, 0.5, 1}, new double[] {1, 0.9, 0.5});
        assertThat(r.getSeriesMap()).containsOnlyKeys("token accuracy");
        assertThat(r.getXAxisTitle()).isEqualTo("latent noise std");
        XYChart t = Charts.taskLosses(List.of(new Series("en", new double[] {10, 20, 30}, new double[] {3, 2, 2.5}),
                new Series("de", new double[] {10, 20, 30}, new double[] {4, 3.5, 2})), new String[] {"en", "de"},
                new double[] {0, 20});
        assertThat(t.getSeriesMap().keySet()).containsExactly("en", "de", "start of de");
        assertThat(t.getSeriesMap().get("start of de").getXData()).containsExactly(20.0, 20.0);
        assertThat(t.getSeriesMap().get("start of de").getYData()).containsExactly(2.0, 4.0);
        assertThatThrownBy(() -> Charts.taskLosses(List.of(), new String[] {"a"}, new double[] {0, 1}))
                .hasMessageContaining("1 task names but 2 boundaries");
    }

    @Test
    void heatmapAndForgetting() {
        HeatMapChart h = Charts.heatmap("R", new String[] {"en", "de"}, new String[] {"en", "de"},
                new double[][] {{0.5, 0.1}, {0.3, 0.6}});
        assertThat(h.getHeatMapSeries().getHeatData()).hasSize(4);
        assertThat(h.getXAxisTitle()).isEqualTo("evaluated on");
        assertThatThrownBy(() -> Charts.heatmap("R", new String[] {"en"}, new String[] {"en", "de"}, new double[][] {{1}}))
                .hasMessageContaining("row 0 has 1 values");
        var f = Charts.forgetting(new String[] {"transformer", "cms"}, new double[] {0.2, 0.1},
                new double[] {0.15, 0.05}, new double[] {0.3, 0.12});
        assertThat(f.getSeriesMap().keySet()).containsExactly("mean", "95% CI low", "95% CI high");
        assertThat(f.getSeriesMap().get("mean").getXData().toString()).isEqualTo("[transformer, cms]");
        assertThat(f.getSeriesMap().get("95% CI low").getYData().toString()).isEqualTo("[0.15, 0.05]");
        assertThat(f.getSeriesMap().get("95% CI high").getYData().toString()).isEqualTo("[0.3, 0.12]");
        assertThat(f.getYAxisTitle()).isEqualTo("average forgetting");
        assertThatThrownBy(() -> Charts.forgetting(new String[] {"a"}, new double[] {1, 2}, new double[1], new double[1]))
                .hasMessageContaining("1 arms but 2 means");
    }

    @Test
    void savesPngAndSvg(@TempDir Path dir) throws Exception {
        XYChart c = Charts.robustness(new double[] {0, 1}, new double[] {1, 0.5});
        Path[] files = ChartFiles.save(c, dir.resolve("sub/robust.png"));
        assertThat(files[0].getFileName().toString()).isEqualTo("robust.png");
        byte[] png = Files.readAllBytes(files[0]);
        assertThat(png[1]).isEqualTo((byte) 'P');
        assertThat(Files.readString(files[1])).contains("<svg");
    }

    @Test
    void sparkline() {
        assertThat(Sparkline.of(new double[] {8, 7, 6, 5, 4, 3, 2, 1}, 8)).isEqualTo("█▇▆▅▄▃▂▁");
        assertThat(Sparkline.of(new double[] {1, 1, 1}, 10)).isEqualTo("▅▅▅");
        assertThat(Sparkline.of(new double[] {4, 4, 0, 0}, 2)).isEqualTo("█▁");
        assertThat(Sparkline.of(new double[0], 5)).isEmpty();
        assertThatThrownBy(() -> Sparkline.of(new double[] {1}, 0)).hasMessageContaining("width = 0");
        assertThatThrownBy(() -> new Series("x", new double[2], new double[3])).hasMessageContaining("x has 2 values and y has 3");
    }
}
