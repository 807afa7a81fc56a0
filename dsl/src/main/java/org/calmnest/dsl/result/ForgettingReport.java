package org.calmnest.dsl.result;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.calmnest.lib.eval.ForgettingMatrix;
import org.knowm.xchart.HeatMapChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Locale;
import java.util.Map;

/**
 * Forgetting after a continual run (NESTED.md §5): the R matrices of next-token accuracy and
 * held-out bits per byte (row i = after training task i, column j = task j), their heatmaps, and
 * ACC, BWT, FWT and average forgetting as a Tablesaw table. For the loss the signs of BWT, FWT
 * and forgetting are flipped so BWT &lt; 0 always means forgetting.
 */
public final class ForgettingReport implements RichDisplay {

    private final String model;
    private final String[] tasks;
    private final ForgettingMatrix accuracy;
    private final ForgettingMatrix loss;
    private final double[][] accR;
    private final double[][] lossR;

    public ForgettingReport(String model, String[] tasks, double[][] accR, double[] accBaseline, double[][] lossR,
                            double[] lossBaseline) {
        this.model = model;
        this.tasks = tasks.clone();
        this.accuracy = ForgettingMatrix.ofAccuracy(accR, accBaseline);
        this.loss = ForgettingMatrix.ofLoss(lossR, lossBaseline);
        this.accR = accR;
        this.lossR = lossR;
    }

    /** The accuracy matrix and its metrics. */
    public ForgettingMatrix accuracy() {
        return accuracy;
    }

    /** The bits-per-byte matrix and its (sign-flipped) metrics. */
    public ForgettingMatrix loss() {
        return loss;
    }

    /** ACC, BWT, FWT and average forgetting, for accuracy and bits per byte. */
    public Table table() {
        var a = accuracy.summary();
        var l = loss.summary();
        return Table.create(model + " forgetting",
                StringColumn.create("metric", "ACC (final average)", "BWT (backward transfer)", "FWT (forward transfer)",
                        "average forgetting"),
                DoubleColumn.create("accuracy", a.average(), a.backwardTransfer(), a.forwardTransfer(), a.averageForgetting()),
                DoubleColumn.create("bitsPerByte", l.average(), l.backwardTransfer(), l.forwardTransfer(), l.averageForgetting()));
    }

    /** The accuracy R matrix as a table: one row per "after task", one column per task. */
    public Table matrix() {
        Table t = Table.create(model + " R (accuracy)", StringColumn.create("after"));
        for (int j = 0; j < tasks.length; j++) {
            t.addColumns(DoubleColumn.create(tasks[j]));
        }
        for (int i = 0; i < tasks.length; i++) {
            t.stringColumn("after").append(tasks[i]);
            for (int j = 0; j < tasks.length; j++) {
                t.doubleColumn(tasks[j]).append(accR[i][j]);
            }
        }
        return t;
    }

    /** Heatmap of the accuracy R matrix. */
    public HeatMapChart heatmap() {
        return Charts.heatmap("R matrix (next-token accuracy)", tasks, tasks, accR);
    }

    /** Heatmap of the bits-per-byte R matrix. */
    public HeatMapChart lossHeatmap() {
        return Charts.heatmap("R matrix (held-out bits per byte)", tasks, tasks, lossR);
    }

    public String summary() {
        var a = accuracy.summary();
        var l = loss.summary();
        return String.format(Locale.ROOT, "%s forgetting over %d tasks%n"
                        + "  accuracy:      ACC %.4f  BWT %+.4f  FWT %+.4f  forgetting %.4f%n"
                        + "  bits per byte: ACC %.4f  BWT %+.4f  FWT %+.4f  forgetting %.4f",
                model, tasks.length, a.average(), a.backwardTransfer(), a.forwardTransfer(), a.averageForgetting(),
                l.average(), l.backwardTransfer(), l.forwardTransfer(), l.averageForgetting());
    }

    @Override
    public String toString() {
        var a = accuracy.summary();
        return String.format(Locale.ROOT, "ForgettingReport[%s: ACC %.4f, BWT %+.4f, forgetting %.4f]", model,
                a.average(), a.backwardTransfer(), a.averageForgetting());
    }

    @Override
    public Map<String, Object> mimeBundle() {
        StringBuilder html = new StringBuilder("<div><b>").append(Html.escape(model)).append(" forgetting</b><table>");
        html.append("<tr><th>metric</th><th>accuracy</th><th>bits per byte</th></tr>");
        Table t = table();
        for (int r = 0; r < t.rowCount(); r++) {
            html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%.4f</td></tr>",
                    Html.escape(t.stringColumn("metric").get(r)), t.doubleColumn("accuracy").get(r),
                    t.doubleColumn("bitsPerByte").get(r)));
        }
        html.append("</table></div>");
        return Html.bundle(summary(), html.toString(), ChartFiles.png(heatmap()));
    }
}
