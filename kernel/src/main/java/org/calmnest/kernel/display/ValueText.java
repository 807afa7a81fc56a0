package org.calmnest.kernel.display;

import java.lang.reflect.Array;

/**
 * The {@code text/plain} form of a value, as JShell shows it (strings quoted, arrays expanded),
 * cut at a length limit so a huge {@code toString()} cannot flood the frontend.
 */
public final class ValueText {

    /** Characters of text/plain kept; the rest is replaced by a note saying how much was cut. */
    public static final int LIMIT = Integer.getInteger("calmnest.kernel.textLimit", 20_000);
    private static final int ARRAY_ITEMS = 1_000;

    private ValueText() {
    }

    public static String of(Object value) {
        String s;
        try {
            s = format(value);
        } catch (RuntimeException e) { // a broken toString() must not break the cell
            s = value.getClass().getName() + " (toString() threw " + e + ")";
        }
        return truncate(s, LIMIT);
    }

    static String truncate(String s, int limit) {
        if (s.length() <= limit) {
            return s;
        }
        return s.substring(0, limit) + "\n… (" + (s.length() - limit) + " more characters not shown)";
    }

    private static String format(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String str) {
            return quote(str, '"');
        }
        if (value instanceof Character c) {
            return quote(String.valueOf(c), '\'');
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            StringBuilder sb = new StringBuilder(value.getClass().getComponentType().getSimpleName())
                    .append('[').append(n).append("] { ");
            for (int i = 0; i < Math.min(n, ARRAY_ITEMS); i++) {
                sb.append(i == 0 ? "" : ", ").append(format(Array.get(value, i)));
                if (sb.length() > LIMIT) {
                    break;
                }
            }
            return sb.append(n > ARRAY_ITEMS ? ", … }" : " }").toString();
        }
        return String.valueOf(value);
    }

    private static String quote(String s, char q) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
        for (int i = 0; i < s.length() && sb.length() <= LIMIT; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append(q).toString();
    }
}
