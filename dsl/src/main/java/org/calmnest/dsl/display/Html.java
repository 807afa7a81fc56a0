package org.calmnest.dsl.display;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for the HTML parts of mime bundles. */
public final class Html {

    private Html() {
    }

    /** Escapes text for HTML. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** An inline PNG image tag. */
    public static String img(byte[] png) {
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"/>";
    }

    /** A two-column key/value table. */
    public static String keyValues(String title, Map<String, String> rows) {
        StringBuilder b = new StringBuilder("<div class=\"calmnest\"><b>").append(escape(title)).append("</b><table>");
        rows.forEach((k, v) -> b.append("<tr><td>").append(escape(k)).append("</td><td>")
                .append(escape(v)).append("</td></tr>"));
        return b.append("</table></div>").toString();
    }

    /** A mime bundle with text/plain, text/html and (when png is not null) image/png. */
    public static Map<String, Object> bundle(String text, String html, byte[] png) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text/plain", text);
        m.put("text/html", png == null ? html : html + img(png));
        if (png != null) {
            m.put("image/png", png);
        }
        return m;
    }
}
