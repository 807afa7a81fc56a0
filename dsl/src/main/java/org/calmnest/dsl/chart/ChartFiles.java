package org.calmnest.dsl.chart;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Renders XChart charts headless to PNG bytes, SVG text and files. Files are written atomically
 * (a temporary file in the same folder, then a rename), so a reader never sees half a chart.
 */
public final class ChartFiles {

    private ChartFiles() {
    }

    /** The chart as PNG bytes. */
    public static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not render chart \"" + chart.getTitle() + "\" as PNG", e);
        }
    }

    /** The chart as an SVG document. */
    public static String svg(Chart<?, ?> chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not render chart \"" + chart.getTitle() + "\" as SVG", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@code base.png} and {@code base.svg} (base without extension) and returns both paths. */
    public static Path[] save(Chart<?, ?> chart, Path base) {
        if (base == null) {
            throw new IllegalArgumentException("save: path is null; pass a file name such as Path.of(\"charts/loss\")");
        }
        String name = base.getFileName().toString().replaceFirst("\\.(png|svg)$", "");
        Path png = base.resolveSibling(name + ".png");
        Path svg = base.resolveSibling(name + ".svg");
        write(png, png(chart));
        write(svg, svg(chart).getBytes(StandardCharsets.UTF_8));
        return new Path[] {png, svg};
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path abs = file.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.toAbsolutePath()
                    + " (" + e.getMessage() + "); choose a writable folder", e);
        }
    }
}
