package org.calmnest.dsl.script;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.display.DisplaySink;
import org.calmnest.dsl.display.Displays;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The display sink of script mode: charts are saved as PNG and SVG in the output folder (the path
 * is printed), everything else prints its text form.
 */
public final class ScriptSink implements DisplaySink {

    private final Path outDir;
    private final PrintStream out;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Path> saved = new ArrayList<>();

    public ScriptSink(Path outDir, PrintStream out) {
        this.outDir = outDir;
        this.out = out;
    }

    @Override
    public synchronized String display(Object value) {
        Chart<?, ?> chart = chartOf(value);
        if (chart != null) {
            int n = count.incrementAndGet();
            String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : chart.getTitle();
            String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            Path[] files = ChartFiles.save(chart, outDir.resolve(String.format(Locale.ROOT, "%02d-%s", n, slug)));
            saved.add(files[0]);
            saved.add(files[1]);
            out.println("chart \"" + title + "\" saved to " + files[0].toAbsolutePath() + " (and .svg)");
        } else {
            out.println(Displays.plainText(value));
        }
        return "script-" + ids.incrementAndGet();
    }

    /** A chart, or a value that can draw itself as one ({@code plot()} results are charts already). */
    private static Chart<?, ?> chartOf(Object value) {
        if (value instanceof Chart<?, ?> c) {
            return c;
        }
        return null;
    }

    @Override
    public void update(String displayId, Object value) {
        // a script keeps its output; progress is printed by the progress line
    }

    @Override
    public boolean isRich() {
        return false;
    }

    /** Chart files written so far. */
    public synchronized List<Path> saved() {
        return List.copyOf(saved);
    }
}
