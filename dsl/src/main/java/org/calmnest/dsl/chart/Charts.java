package org.calmnest.dsl.chart;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DSL's chart builders. Each returns a real XChart object the user can restyle and save
 * ({@link ChartFiles#save}); none of them keeps a reference to a model.
 */
public final class Charts {

    public static final int WIDTH = 720;
    public static final int HEIGHT = 420;

    private Charts() {
    }

    /** An empty line chart with the DSL's style. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartTitleVisible(true);
        return chart;
    }

    /**
     * Loss curves: one line per series (e.g. "train loss", "validation loss") against step,
     * tokens or FLOPs; series without points are left out.
     */
    public static XYChart lines(String title, String xTitle, String yTitle, List<Series> series) {
        XYChart chart = xy(title, xTitle, yTitle);
        for (Series s : series) {
            if (s.size() > 0) {
                XYSeries xs = chart.addSeries(s.name(), s.x(), s.y());
                xs.setMarker(s.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            }
        }
        return chart;
    }

    /**
     * The paper's frontier plot: BrierLM (higher is better) against training FLOPs, one series per
     * model (a point per evaluation), FLOPs on a log axis.
     */
    public static XYChart brierFrontier(List<Series> models) {
        XYChart chart = xy("BrierLM against training FLOPs", "training FLOPs", "BrierLM");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (Series s : models) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Autoencoder robustness: token accuracy as Gaussian noise of growing std is added to the latent. */
    public static XYChart robustness(double[] noiseStd, double[] accuracy) {
        XYChart chart = xy("Autoencoder robustness", "latent noise std", "token accuracy");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.addSeries("token accuracy", noiseStd, accuracy).setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }

    /**
     * Per-task held-out loss over a continual run: one line per task, plus a vertical line named
     * "start of TASK" at every task boundary after the first.
     *
     * @param boundaries step at which each task starts (boundaries[0] is the first task's start)
     */
    public static XYChart taskLosses(List<Series> perTask, String[] taskNames, double[] boundaries) {
        if (taskNames.length != boundaries.length) {
            throw new IllegalArgumentException("taskLosses: " + taskNames.length + " task names but "
                    + boundaries.length + " boundaries; pass one start step per task");
        }
        XYChart chart = lines("Held-out loss per task", "step", "held-out loss", perTask);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : perTask) {
            for (double v : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        for (int t = 1; t < boundaries.length; t++) {
            XYSeries b = chart.addSeries("start of " + taskNames[t], new double[] {boundaries[t], boundaries[t]},
                    new double[] {lo, hi});
            b.setMarker(SeriesMarkers.NONE);
            b.setLineColor(java.awt.Color.GRAY);
            b.setShowInLegend(false);
        }
        return chart;
    }

    /**
     * The R matrix as a heatmap: row i = after training task i, column j = evaluated on task j.
     * Values are shown as given (e.g. next-token accuracy).
     */
    public static HeatMapChart heatmap(String title, String[] rows, String[] cols, double[][] r) {
        if (r.length != rows.length) {
            throw new IllegalArgumentException("heatmap: " + r.length + " rows of values but " + rows.length
                    + " row labels; pass one label per row");
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("evaluated on").yAxisTitle("after training on").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setHeatMapValueDecimalPattern("0.000");
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (r[i].length != cols.length) {
                throw new IllegalArgumentException("heatmap: row " + i + " has " + r[i].length + " values but there are "
                        + cols.length + " column labels; pass a square R matrix");
            }
            for (int j = 0; j < cols.length; j++) {
                cells.add(new Number[] {j, i, r[i][j]});
            }
        }
        chart.addSeries("R", List.of(cols), List.of(rows), cells);
        return chart;
    }

    /**
     * Forgetting per arm with confidence intervals: for each arm (a category on the x axis) the
     * mean and the lower and upper bound of its interval (e.g. a bootstrap 95 % interval, possibly
     * asymmetric) as three marker series "mean", "95% CI low" and "95% CI high".
     */
    public static CategoryChart forgetting(String[] arms, double[] mean, double[] lo, double[] hi) {
        if (arms.length != mean.length || arms.length != lo.length || arms.length != hi.length) {
            throw new IllegalArgumentException("forgetting: " + arms.length + " arms but " + mean.length + " means, "
                    + lo.length + " lower and " + hi.length + " upper bounds; pass one value per arm");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title("Forgetting per arm (95% CI)")
                .xAxisTitle("arm").yAxisTitle("average forgetting").build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setOverlapped(true); // the three markers of an arm on one vertical line
        List<String> x = List.of(arms);
        chart.addSeries("mean", x, toList(mean)).setMarker(SeriesMarkers.DIAMOND);
        chart.addSeries("95% CI low", x, toList(lo)).setMarker(SeriesMarkers.TRIANGLE_UP);
        chart.addSeries("95% CI high", x, toList(hi)).setMarker(SeriesMarkers.TRIANGLE_DOWN);
        return chart;
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>(v.length);
        for (double d : v) {
            l.add(d);
        }
        return l;
    }

    /** "1.2e9"-style label for FLOP counts. */
    public static String flops(double f) {
        return String.format(Locale.ROOT, "%.3g", f);
    }
}
