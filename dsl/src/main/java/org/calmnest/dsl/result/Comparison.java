package org.calmnest.dsl.result;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.chart.Series;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Several trained language models side by side ({@code compare(lm, base)}): a Tablesaw table of
 * size, training FLOPs, held-out loss and BrierLM with its parts, and the paper's frontier plot
 * (BrierLM against training FLOPs). BrierLM is computed when the comparison is made.
 */
public final class Comparison implements RichDisplay {

    private final List<TrainedLm> models;
    private final List<BrierScore> scores;
    private final List<String> labels;

    public Comparison(List<TrainedLm> models) {
        if (models == null || models.size() < 2) {
            throw new IllegalArgumentException("compare(..): number of models = " + (models == null ? 0 : models.size())
                    + " is out of range; pass at least two trained models, e.g. compare(lm, base)");
        }
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i) == null) {
                throw new IllegalArgumentException("compare(..): model " + i + " is null; pass trained models");
            }
        }
        this.models = List.copyOf(models);
        List<BrierScore> s = new ArrayList<>();
        for (TrainedLm m : models) {
            s.add(m.brierLM());
        }
        this.scores = List.copyOf(s);
        this.labels = labels(this.models.stream().map(TrainedLm::name).toList());
    }

    /**
     * The models' names, with {@code [1]}, {@code [2]}, ... added to names that occur more than
     * once (two baselines of the same shape): chart series and table rows need distinct names.
     */
    static List<String> labels(List<String> names) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        names.forEach(n -> counts.merge(n, 1, Integer::sum));
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(counts.get(n) == 1 ? n : n + " [" + seen.merge(n, 1, Integer::sum) + "]");
        }
        return List.copyOf(out);
    }

    /** The name of each model as the table and chart show it (made distinct when two are alike). */
    public List<String> labels() {
        return labels;
    }

    /** One row per model. */
    public Table table() {
        int n = models.size();
        StringColumn name = StringColumn.create("model");
        LongColumn params = LongColumn.create("parameters");
        DoubleColumn flops = DoubleColumn.create("trainingFlops");
        LongColumn steps = LongColumn.create("steps");
        IntColumn block = IntColumn.create("blockLength");
        DoubleColumn val = DoubleColumn.create("valLoss");
        DoubleColumn brier = DoubleColumn.create("BrierLM");
        DoubleColumn[] parts = new DoubleColumn[4];
        for (int k = 0; k < 4; k++) {
            parts[k] = DoubleColumn.create("Brier" + (k + 1));
        }
        for (int i = 0; i < n; i++) {
            TrainedLm m = models.get(i);
            BrierScore s = scores.get(i);
            name.append(labels.get(i));
            params.append(m.parameterCount());
            flops.append(m.trainingFlops());
            steps.append(m.history().stepCount());
            block.append(m.blockLength());
            val.append(m.history().lastValidationLoss());
            brier.append(s.brierLM());
            for (int k = 0; k < 4; k++) {
                parts[k].append(k < s.brier().length ? s.brier(k + 1) : Double.NaN);
            }
        }
        Table t = Table.create("comparison", name, params, flops, steps, block, val, brier);
        t.addColumns(parts);
        return t;
    }

    /** The frontier plot: one series per model at (training FLOPs, BrierLM). */
    public XYChart plot() {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            series.add(new Series(labels.get(i), new double[] {models.get(i).trainingFlops()},
                    new double[] {scores.get(i).brierLM()}));
        }
        return Charts.brierFrontier(series);
    }

    /** BrierLM of each model, in the order given. */
    public List<BrierScore> scores() {
        return scores;
    }

    /** Warnings when the models were not scored on comparable text (different corpora or block lengths). */
    public List<String> caveats() {
        List<String> c = new ArrayList<>();
        Set<Integer> blocks = new LinkedHashSet<>();
        models.forEach(m -> blocks.add(m.blockLength()));
        if (blocks.size() > 1) {
            c.add("block lengths differ " + blocks + ": BrierLM depends on the evaluation block length");
        }
        Set<String> corpora = new LinkedHashSet<>();
        models.forEach(m -> corpora.add(m instanceof TrainedBase b ? b.corpus().name() : "?"));
        if (corpora.size() > 1) {
            c.add("models were trained and scored on different corpora " + corpora);
        }
        return c;
    }

    /** The table printed, then any caveats. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < models.size(); i++) {
            TrainedLm m = models.get(i);
            b.append(String.format(Locale.ROOT, "%-28s BrierLM %7.3f  FLOPs %s  params %,d  val loss %.4f%n", labels.get(i),
                    scores.get(i).brierLM(), Charts.flops(m.trainingFlops()), m.parameterCount(),
                    m.history().lastValidationLoss()));
        }
        caveats().forEach(c -> b.append("note: ").append(c).append('\n'));
        return b.toString().stripTrailing();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Comparison[");
        for (int i = 0; i < models.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(labels.get(i))
                    .append(String.format(Locale.ROOT, ": BrierLM %.3f", scores.get(i).brierLM()));
        }
        return b.append(']').toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        String notes = caveats().isEmpty() ? "" : "<p><i>" + Html.escape(String.join("; ", caveats())) + "</i></p>";
        return Html.bundle(summary(), htmlTable() + notes, ChartFiles.png(plot()));
    }

    private String htmlTable() {
        Table t = table();
        StringBuilder b = new StringBuilder("<table><tr>");
        t.columnNames().forEach(c -> b.append("<th>").append(Html.escape(c)).append("</th>"));
        b.append("</tr>");
        for (int r = 0; r < t.rowCount(); r++) {
            b.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                b.append("<td>").append(Html.escape(t.getString(r, c))).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }
}
