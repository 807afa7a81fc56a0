package org.calmnest.dsl.progress;

import org.calmnest.dsl.chart.Series;
import org.calmnest.dsl.chart.Sparkline;
import org.calmnest.dsl.display.DisplaySink;
import org.calmnest.dsl.display.Displays;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows training progress. In a terminal it prints a status line (step, loss, tokens/s, ETA) at
 * most every {@code minInterval} seconds, rewriting it in place on a console and a line at a time
 * otherwise, and ends with the loss sparkline. When the current {@link DisplaySink} is rich (a
 * notebook) it shows a {@link ProgressView} (progress bar + live loss chart) and replaces it with
 * {@code updateDisplay} at the same throttled rate, ending with the final chart.
 */
public final class ProgressListener implements TrainListener {

    /** Notebook updates at most about three times per second. */
    public static final double RICH_INTERVAL = 0.34;
    /** Terminal lines at most twice per second on a console, every 2 s in a log. */
    public static final double CONSOLE_INTERVAL = 0.5;
    public static final double LOG_INTERVAL = 2.0;
    private static final int MAX_POINTS = 1000;

    private final DisplaySink sink;
    private final PrintStream out;
    private final LongSupplier nanos;
    private final double minInterval;
    private final boolean inPlace;

    private String model = "model";
    private TrainConfigView budget;
    private final List<double[]> train = new ArrayList<>();
    private final List<double[]> val = new ArrayList<>();
    private String displayId;
    private long lastShown = Long.MIN_VALUE;
    private StepRecord first;
    private StepRecord last;
    private StepRecord lastPrinted;
    private int updates;

    /** A listener for the current display sink and stdout, with the default rates. */
    public static ProgressListener forCurrentSession() {
        DisplaySink sink = Displays.current();
        boolean console = System.console() != null;
        double interval = sink.isRich() ? RICH_INTERVAL : console ? CONSOLE_INTERVAL : LOG_INTERVAL;
        return new ProgressListener(sink, System.out, System::nanoTime, interval, !sink.isRich() && console);
    }

    /**
     * @param inPlace rewrite the terminal line with a carriage return instead of printing new lines
     */
    public ProgressListener(DisplaySink sink, PrintStream out, LongSupplier nanos, double minInterval, boolean inPlace) {
        if (!(minInterval >= 0)) {
            throw new IllegalArgumentException("ProgressListener minInterval = " + minInterval
                    + " is out of range; use 0 or more seconds, e.g. 0.34");
        }
        this.sink = sink;
        this.out = out;
        this.nanos = nanos;
        this.minInterval = minInterval;
        this.inPlace = inPlace;
    }

    @Override
    public void onStart(String modelName, TrainConfigView config) {
        model = modelName;
        budget = config;
        if (sink.isRich()) {
            displayId = sink.display(view(false));
        }
    }

    @Override
    public void onStep(StepRecord r) {
        if (first == null) {
            first = r;
        }
        last = r;
        add(train, r.step(), r.loss());
        long now = nanos.getAsLong();
        if (lastShown == Long.MIN_VALUE || (now - lastShown) / 1e9 >= minInterval) {
            lastShown = now;
            show(false);
        }
    }

    @Override
    public void onEval(EvalRecord r) {
        add(val, r.step(), r.loss());
    }

    @Override
    public void onEnd(long steps, boolean cancelled) {
        if (sink.isRich() || last != lastPrinted) {
            show(true);
        }
        if (!sink.isRich()) {
            if (inPlace) {
                out.println();
            }
            double[] losses = train.stream().mapToDouble(p -> p[1]).toArray();
            out.println(model + (cancelled ? " interrupted" : " done") + " after " + steps + " steps; loss "
                    + Sparkline.of(losses, 40));
        }
    }

    /** How many times the display or the terminal line was refreshed (for tests). */
    public int updates() {
        return updates;
    }

    private void show(boolean done) {
        updates++;
        if (sink.isRich()) {
            ProgressView v = view(done);
            if (displayId == null) {
                displayId = sink.display(v);
            } else {
                sink.update(displayId, v);
            }
        } else if (last != null) {
            lastPrinted = last;
            String line = "[" + model + "] " + status();
            if (inPlace) {
                out.print("\r" + line + "   ");
                out.flush();
            } else {
                out.println(line);
            }
        }
    }

    private ProgressView view(boolean done) {
        return new ProgressView(model, fraction(), last == null ? "starting" : status(), series("train loss", train),
                series("validation loss", val), done);
    }

    /** step, loss, tokens/s and ETA. */
    String status() {
        double eta = eta();
        return String.format(Locale.ROOT, "step %d%s  loss %.4f  %,.0f tok/s  %s", last.step(),
                budget != null && budget.maxSteps() > 0 && budget.maxSteps() < 1e15 ? "/" + budget.maxSteps() : "",
                last.loss(), last.tokensPerSecond(), Double.isFinite(eta) ? "ETA " + clock(eta) : "");
    }

    /** The largest used fraction of any budget dimension. */
    double fraction() {
        if (budget == null || last == null) {
            return Double.NaN;
        }
        double f = Double.NaN;
        if (budget.maxSteps() > 0 && budget.maxSteps() < 1e15) {
            f = max(f, (double) last.step() / budget.maxSteps());
        }
        if (budget.maxSeconds() > 0) {
            f = max(f, last.wallSeconds() / budget.maxSeconds());
        }
        if (budget.maxTokens() > 0) {
            f = max(f, (double) last.tokens() / budget.maxTokens());
        }
        if (budget.maxFlops() > 0) {
            f = max(f, last.flops() / budget.maxFlops());
        }
        return f;
    }

    /** Seconds left: the earliest budget to run out at the rate measured since the first step. */
    double eta() {
        if (budget == null || first == null || last == first) {
            return Double.NaN;
        }
        double dt = last.wallSeconds() - first.wallSeconds();
        if (dt <= 0) {
            return Double.NaN;
        }
        double eta = Double.POSITIVE_INFINITY;
        if (budget.maxSteps() > 0 && budget.maxSteps() < 1e15) {
            eta = Math.min(eta, (budget.maxSteps() - last.step()) * dt / (last.step() - first.step()));
        }
        if (budget.maxSeconds() > 0) {
            eta = Math.min(eta, budget.maxSeconds() - last.wallSeconds());
        }
        if (budget.maxTokens() > 0 && last.tokens() > first.tokens()) {
            eta = Math.min(eta, (budget.maxTokens() - last.tokens()) * dt / (last.tokens() - first.tokens()));
        }
        if (budget.maxFlops() > 0 && last.flops() > first.flops()) {
            eta = Math.min(eta, (budget.maxFlops() - last.flops()) * dt / (last.flops() - first.flops()));
        }
        return Double.isInfinite(eta) ? Double.NaN : Math.max(0, eta);
    }

    private static double max(double a, double b) {
        return Double.isNaN(a) ? b : Math.max(a, b);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static void add(List<double[]> points, double x, double y) {
        points.add(new double[] {x, y});
        if (points.size() > MAX_POINTS) {
            // keep the chart cheap to draw: drop every other point of the older half
            List<double[]> thinned = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                if (i >= points.size() / 2 || i % 2 == 0) {
                    thinned.add(points.get(i));
                }
            }
            points.clear();
            points.addAll(thinned);
        }
    }

    private static Series series(String name, List<double[]> points) {
        return new Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }
}
