package org.calmnest.kernel.display;

import org.calmnest.dsl.display.RichDisplay;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Turns notebook values into Jupyter mime bundles: XChart charts as {@code image/png} (and
 * {@code image/svg+xml} when {@code CALMNEST_CHART_FORMAT} is {@code svg} or {@code both}),
 * Tablesaw tables as HTML and text, {@link RichDisplay} objects as their own bundle, images as
 * PNG, everything else as length-limited {@code text/plain}.
 */
public final class KernelRenderer extends Renderer {

    private final boolean png;
    private final boolean svg;

    public KernelRenderer() {
        String fmt = System.getenv().getOrDefault("CALMNEST_CHART_FORMAT",
                System.getProperty("calmnest.kernel.chartFormat", "png")).toLowerCase(Locale.ROOT);
        this.svg = fmt.equals("svg") || fmt.equals("both");
        this.png = !fmt.equals("svg");
        registerCalmnest();
    }

    private void registerCalmnest() {
        createRegistration(Chart.class)
                .preferring(png ? MIMEType.IMAGE_PNG : MIMEType.IMAGE_SVG)
                .supporting(MIMEType.IMAGE_PNG, MIMEType.IMAGE_SVG)
                .register((chart, ctx) -> {
                    DisplayData out = ctx.getOutputContainer();
                    if (png || ctx.wantsDataRenderedAs(MIMEType.IMAGE_PNG)) {
                        out.putData(MIMEType.IMAGE_PNG, chartPng(chart));
                    }
                    if (svg || ctx.wantsDataRenderedAs(MIMEType.IMAGE_SVG)) {
                        out.putSVG(chartSvg(chart));
                    }
                    out.putText(chart.getClass().getSimpleName() + " \"" + chart.getTitle() + "\" ("
                            + chart.getWidth() + "×" + chart.getHeight() + ")");
                });
        createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, ctx) -> {
                    ctx.getOutputContainer().putHTML(TableHtml.html(table));
                    ctx.getOutputContainer().putText(TableHtml.text(table));
                });
    }

    /**
     * Renders any value. {@link RichDisplay} bundles are taken as they are; input streams are
     * never read (jjava would consume them as images).
     */
    @Override
    public DisplayData render(Object value) {
        if (value == null || value instanceof InputStream) {
            DisplayData d = new DisplayData();
            d.putText(ValueText.of(value));
            return d;
        }
        if (value instanceof RichDisplay rich) {
            return fromBundle(rich.mimeBundle(), value);
        }
        return super.render(value);
    }

    @Override
    protected DisplayData finalizeDisplayData(DisplayData data, Object value) {
        if (!data.hasDataForType(MIMEType.TEXT_PLAIN)) {
            data.putText(ValueText.of(value));
        }
        return data;
    }

    private static DisplayData fromBundle(Map<String, Object> bundle, Object value) {
        DisplayData d = new DisplayData();
        for (Map.Entry<String, Object> e : bundle.entrySet()) {
            Object v = e.getValue();
            if (v instanceof byte[] bytes) {
                v = Base64.getEncoder().encodeToString(bytes);
            } else if (v != null && !(v instanceof String)) {
                v = v.toString();
            }
            if (v != null) {
                d.putData(e.getKey(), v);
            }
        }
        if (!d.hasDataForType(MIMEType.TEXT_PLAIN)) {
            d.putText(ValueText.of(value));
        }
        return d;
    }

    static String chartPng(Chart<?, ?> chart) {
        try {
            return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("chart \"" + chart.getTitle() + "\" could not be encoded as PNG", e);
        }
    }

    static String chartSvg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("chart \"" + chart.getTitle() + "\" could not be encoded as SVG", e);
        }
    }
}
