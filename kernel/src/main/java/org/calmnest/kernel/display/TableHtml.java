package org.calmnest.kernel.display;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A Tablesaw table as a plain HTML table (no scripts, no CSS that fights dark themes): the name
 * as a caption, the head and the tail of long tables, and the shape underneath.
 */
final class TableHtml {

    static final int HEAD = 30;
    static final int TAIL = 10;

    private TableHtml() {
    }

    static String html(Table t) {
        int rows = t.rowCount();
        StringBuilder sb = new StringBuilder("<table>");
        if (t.name() != null && !t.name().isBlank()) {
            sb.append("<caption>").append(escape(t.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        boolean cut = rows > HEAD + TAIL;
        for (int r = 0; r < rows; r++) {
            if (cut && r == HEAD) {
                sb.append("<tr><td colspan=\"").append(t.columnCount()).append("\">… ")
                        .append(rows - HEAD - TAIL).append(" more rows …</td></tr>");
                r = rows - TAIL;
            }
            sb.append("<tr>");
            for (Column<?> c : t.columns()) {
                sb.append("<td>").append(escape(c.getString(r))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table><p>").append(rows).append(" rows × ")
                .append(t.columnCount()).append(" columns</p>").toString();
    }

    static String text(Table t) {
        return t.print(HEAD + TAIL) + (t.rowCount() > HEAD + TAIL
                ? "\n(" + t.rowCount() + " rows × " + t.columnCount() + " columns)" : "");
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
