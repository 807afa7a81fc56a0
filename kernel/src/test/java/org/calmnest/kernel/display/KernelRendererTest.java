package org.calmnest.kernel.display;

import org.calmnest.dsl.display.RichDisplay;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KernelRendererTest {

    private final KernelRenderer renderer = new KernelRenderer();

    @Test
    void chartBecomesPng() {
        XYChart chart = new XYChart(200, 120);
        chart.setTitle("loss");
        chart.addSeries("train", new double[]{1, 2, 3}, new double[]{3, 2, 1});
        DisplayData d = renderer.render(chart);
        byte[] png = Base64.getDecoder().decode((String) d.getData(MIMEType.IMAGE_PNG));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).contains("XYChart").contains("loss");
        assertThat(KernelRenderer.chartSvg(chart)).contains("<svg");
    }

    @Test
    void tableBecomesEscapedHtmlAndText() {
        Table t = Table.create("metrics", StringColumn.create("model", "calm<K=4>", "transformer"),
                DoubleColumn.create("loss", 1.5, 2.25));
        DisplayData d = renderer.render(t);
        String html = (String) d.getData(MIMEType.TEXT_HTML);
        assertThat(html).contains("<caption>metrics</caption>").contains("calm&lt;K=4&gt;").contains("2 rows × 2 columns");
        assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).contains("transformer");
    }

    @Test
    void longTablesShowHeadAndTail() {
        double[] v = new double[100];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        String html = TableHtml.html(Table.create("t", DoubleColumn.create("x", v)));
        assertThat(html).contains("60 more rows").contains("<td>99</td>").doesNotContain("<td>50</td>");
    }

    @Test
    void richDisplayBundleIsUsedAsIs() {
        RichDisplay rich = () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("text/plain", "summary");
            m.put("text/html", "<b>summary</b>");
            m.put("image/png", new byte[]{1, 2, 3});
            return m;
        };
        DisplayData d = renderer.render(rich);
        assertThat(d.getData(MIMEType.TEXT_HTML)).isEqualTo("<b>summary</b>");
        assertThat(d.getData(MIMEType.IMAGE_PNG)).isEqualTo(Base64.getEncoder().encodeToString(new byte[]{1, 2, 3}));
    }

    @Test
    void plainValuesAreLimitedText() {
        assertThat(renderer.render(null).getData(MIMEType.TEXT_PLAIN)).isEqualTo("null");
        assertThat(renderer.render(new int[]{1, 2}).getData(MIMEType.TEXT_PLAIN)).isEqualTo("int[2] { 1, 2 }");
        String huge = (String) renderer.render(new StringBuilder("y".repeat(ValueText.LIMIT + 500))).getData(MIMEType.TEXT_PLAIN);
        assertThat(huge).hasSizeLessThan(ValueText.LIMIT + 100).endsWith("500 more characters not shown)");
        assertThat(renderer.render(System.in).getData(MIMEType.TEXT_PLAIN)).asString().doesNotContain("iVBOR");
    }
}
