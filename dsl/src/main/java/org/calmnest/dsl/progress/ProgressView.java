package org.calmnest.dsl.progress;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.chart.Series;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.knowm.xchart.XYChart;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A snapshot of a running training for notebooks: a progress bar, the status line and the live
 * loss chart. Immutable; the progress listener publishes a new one with every update.
 *
 * @param model     model name
 * @param fraction  budget used, in [0, 1] (NaN when unknown)
 * @param status    the status line (step, loss, tokens/s, ETA)
 * @param train     training loss so far
 * @param validation validation loss so far
 * @param done      true for the final snapshot
 */
public record ProgressView(String model, double fraction, String status, Series train, Series validation, boolean done)
        implements RichDisplay {

    /** The live loss chart: "train loss" and "validation loss" against the step. */
    public XYChart chart() {
        return Charts.lines(model + " loss", "step", "loss", List.of(train, validation));
    }

    @Override
    public Map<String, Object> mimeBundle() {
        int pct = Double.isFinite(fraction) ? (int) Math.round(100 * Math.min(1, Math.max(0, fraction))) : 0;
        String bar = "<div><progress value=\"" + pct + "\" max=\"100\" style=\"width:60%\"></progress> "
                + Html.escape(status) + "</div>";
        byte[] png = train.size() > 0 ? ChartFiles.png(chart()) : null;
        return Html.bundle(toString(), bar, png);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s%s", model, status, done ? " (done)" : "");
    }
}
