package org.calmnest.dsl.result;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.chart.Series;
import org.calmnest.dsl.chart.Sparkline;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a training run did, step by step: the {@link StepRecord}s and {@link EvalRecord}s as
 * Tablesaw tables ({@link #table()}, {@link #evals()}) and as loss charts against step, tokens
 * or FLOPs ({@link #plot(String)}). Immutable; continuing training returns a longer history.
 */
public final class History implements RichDisplay {

    /** The x axes a history can be plotted against. */
    public static final List<String> AXES = List.of("step", "tokens", "flops", "seconds");

    private final String name;
    private final List<StepRecord> steps;
    private final List<EvalRecord> evals;
    private final boolean cancelled;

    public History(String name, List<StepRecord> steps, List<EvalRecord> evals, boolean cancelled) {
        this.name = name;
        this.steps = List.copyOf(steps);
        this.evals = List.copyOf(evals);
        this.cancelled = cancelled;
    }

    /** This history followed by {@code more} (a continued run). */
    public History append(List<StepRecord> moreSteps, List<EvalRecord> moreEvals, boolean moreCancelled) {
        List<StepRecord> s = new ArrayList<>(steps);
        s.addAll(moreSteps);
        List<EvalRecord> e = new ArrayList<>(evals);
        e.addAll(moreEvals);
        return new History(name, s, e, moreCancelled);
    }

    public String name() {
        return name;
    }

    public List<StepRecord> steps() {
        return steps;
    }

    public List<EvalRecord> evalRecords() {
        return evals;
    }

    /** True when the last run stopped because it was interrupted. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Optimiser steps taken. */
    public long stepCount() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).step();
    }

    /** Training tokens seen. */
    public long tokens() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).tokens();
    }

    /** Cumulative analytic training FLOPs. */
    public double flops() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).flops();
    }

    /** Wall-clock seconds of training (the sum over continued runs). */
    public double seconds() {
        double total = 0;
        double last = 0;
        for (StepRecord r : steps) {
            if (r.wallSeconds() < last) {
                total += last;
            }
            last = r.wallSeconds();
        }
        return total + last;
    }

    /** Training loss of the last step (NaN before training). */
    public double lastLoss() {
        return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
    }

    /** Held-out loss of the last validation (NaN when none ran). */
    public double lastValidationLoss() {
        return evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).loss();
    }

    /** A held-out metric of the last validation (NaN when absent). */
    public double lastMetric(String metric) {
        return evals.isEmpty() ? Double.NaN : evals.get(evals.size() - 1).metrics().getOrDefault(metric, Double.NaN);
    }

    /** Mean training tokens per second over the steps. */
    public double tokensPerSecond() {
        double s = seconds();
        return s > 0 ? tokens() / s : Double.NaN;
    }

    /** One row per step: step, tokens, flops, loss, lr, gradNorm, tokensPerSecond, seconds. */
    public Table table() {
        int n = steps.size();
        long[] step = new long[n];
        long[] tok = new long[n];
        double[] fl = new double[n];
        double[] loss = new double[n];
        double[] lr = new double[n];
        double[] gn = new double[n];
        double[] tps = new double[n];
        double[] sec = new double[n];
        for (int i = 0; i < n; i++) {
            StepRecord r = steps.get(i);
            step[i] = r.step();
            tok[i] = r.tokens();
            fl[i] = r.flops();
            loss[i] = r.loss();
            lr[i] = r.lr();
            gn[i] = r.gradNorm();
            tps[i] = r.tokensPerSecond();
            sec[i] = r.wallSeconds();
        }
        return Table.create(name + " history", LongColumn.create("step", step), LongColumn.create("tokens", tok),
                DoubleColumn.create("flops", fl), DoubleColumn.create("loss", loss), DoubleColumn.create("lr", lr),
                DoubleColumn.create("gradNorm", gn), DoubleColumn.create("tokensPerSecond", tps),
                DoubleColumn.create("seconds", sec));
    }

    /** One row per validation: step, tokens, flops, valLoss and one column per held-out metric. */
    public Table evals() {
        TreeSet<String> metricNames = new TreeSet<>();
        evals.forEach(e -> metricNames.addAll(e.metrics().keySet()));
        int n = evals.size();
        Table t = Table.create(name + " validation",
                LongColumn.create("step", evals.stream().mapToLong(EvalRecord::step).toArray()),
                LongColumn.create("tokens", evals.stream().mapToLong(EvalRecord::tokens).toArray()),
                DoubleColumn.create("flops", evals.stream().mapToDouble(EvalRecord::flops).toArray()),
                DoubleColumn.create("valLoss", evals.stream().mapToDouble(EvalRecord::loss).toArray()));
        for (String m : metricNames) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = evals.get(i).metrics().getOrDefault(m, Double.NaN);
            }
            t.addColumns(DoubleColumn.create(m, v));
        }
        return t;
    }

    /** Training and validation loss against the step. */
    public XYChart plot() {
        return plot("step");
    }

    /**
     * Training and validation loss against {@code axis}: "step", "tokens", "flops" or "seconds".
     * The chart has the series "train loss" and, when validation ran, "validation loss".
     */
    public XYChart plot(String axis) {
        if (axis == null || !AXES.contains(axis)) {
            throw new IllegalArgumentException("plot(\"" + axis + "\"): axis is unknown; use one of " + AXES);
        }
        double[] x = new double[steps.size()];
        double[] y = new double[steps.size()];
        for (int i = 0; i < x.length; i++) {
            StepRecord r = steps.get(i);
            x[i] = stepX(r, axis);
            y[i] = r.loss();
        }
        double[] ex = new double[evals.size()];
        double[] ey = new double[evals.size()];
        for (int i = 0; i < ex.length; i++) {
            EvalRecord e = evals.get(i);
            ex[i] = switch (axis) {
                case "tokens" -> e.tokens();
                case "flops" -> e.flops();
                case "seconds" -> secondsAt(e.step());
                default -> e.step();
            };
            ey[i] = e.loss();
        }
        String xTitle = axis.equals("flops") ? "training FLOPs" : axis;
        return Charts.lines(name + " loss", xTitle, "loss",
                List.of(new Series("train loss", x, y), new Series("validation loss", ex, ey)));
    }

    private double secondsAt(long step) {
        for (StepRecord r : steps) {
            if (r.step() >= step) {
                return r.wallSeconds();
            }
        }
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).wallSeconds();
    }

    private static double stepX(StepRecord r, String axis) {
        return switch (axis) {
            case "tokens" -> r.tokens();
            case "flops" -> r.flops();
            case "seconds" -> r.wallSeconds();
            default -> r.step();
        };
    }

    /** The training loss as a one-line Unicode sparkline of at most {@code width} characters. */
    public String sparkline(int width) {
        return Sparkline.of(steps.stream().mapToDouble(StepRecord::loss).toArray(), width);
    }

    /** Key numbers for summaries. */
    Map<String, String> keyValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("steps", stepCount() + (cancelled ? " (interrupted)" : ""));
        m.put("tokens", String.valueOf(tokens()));
        m.put("training FLOPs", Charts.flops(flops()));
        m.put("time", String.format(Locale.ROOT, "%.1f s (%.0f tokens/s)", seconds(), tokensPerSecond()));
        m.put("loss", String.format(Locale.ROOT, "%.4f (validation %.4f)", lastLoss(), lastValidationLoss()));
        return m;
    }

    /** At most a few lines: steps, tokens, FLOPs, time, last losses and the loss sparkline. */
    public String summary() {
        StringBuilder b = new StringBuilder(name).append(" history\n");
        keyValues().forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        b.append("  loss curve: ").append(sparkline(40));
        return b.toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "History[%s: %d steps, %d tokens, loss %.4f, val %.4f%s]", name,
                stepCount(), tokens(), lastLoss(), lastValidationLoss(), cancelled ? ", interrupted" : "");
    }

    @Override
    public Map<String, Object> mimeBundle() {
        byte[] png = steps.isEmpty() ? null : ChartFiles.png(plot());
        return Html.bundle(summary(), Html.keyValues(name + " history", keyValues()), png);
    }
}
