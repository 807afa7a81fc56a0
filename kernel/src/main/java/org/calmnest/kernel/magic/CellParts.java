package org.calmnest.kernel.magic;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell cut into what the kernel runs in order: Java code ranges and magic lines
 * ({@code %name args}). A cell whose first line is {@code %%name args} is a cell magic with the
 * rest of the cell as its body. A magic line is a line whose first non-blank character is
 * {@code %} followed by a letter (Java code never starts a line that way, except a {@code %}
 * operator continued from the previous line: write it at the end of that line instead).
 */
public final class CellParts {

    /** A piece of the cell. */
    public sealed interface Part permits Code, LineMagic {
    }

    /** Java code: {@code cell.substring(from, to)}. */
    public record Code(int from, int to) implements Part {
    }

    /**
     * {@code %name args}; {@code line} is the 0-based line in the cell, {@code argsFrom} where the
     * arguments start in the cell text.
     */
    public record LineMagic(String name, String args, int line, int argsFrom) implements Part {
    }

    /** {@code %%name args} on the first line; the body starts at {@code bodyFrom}. */
    public record CellMagic(String name, String args, int bodyFrom) {
    }

    private CellParts() {
    }

    /** The cell magic heading the cell, or null. */
    public static CellMagic cellMagic(String cell) {
        String s = cell.stripLeading();
        if (!s.startsWith("%%") || s.length() < 3 || !Character.isLetter(s.charAt(2))) {
            return null;
        }
        int start = cell.indexOf("%%");
        int eol = cell.indexOf('\n', start);
        String head = (eol < 0 ? cell.substring(start + 2) : cell.substring(start + 2, eol)).strip();
        int sp = firstSpace(head);
        return new CellMagic(sp < 0 ? head : head.substring(0, sp), sp < 0 ? "" : head.substring(sp + 1).strip(),
                eol < 0 ? cell.length() : eol + 1);
    }

    /** Splits {@code cell.substring(from)} into code ranges and line magics, in order. */
    public static List<Part> split(String cell, int from) {
        List<Part> parts = new ArrayList<>();
        int codeStart = from;
        int pos = from;
        int line = lineOf(cell, from);
        while (pos <= cell.length()) {
            int eol = cell.indexOf('\n', pos);
            int end = eol < 0 ? cell.length() : eol;
            String raw = cell.substring(pos, end);
            String text = raw.strip();
            if (text.length() > 1 && text.charAt(0) == '%' && Character.isLetter(text.charAt(1))) {
                if (!cell.substring(codeStart, pos).isBlank()) {
                    parts.add(new Code(codeStart, pos));
                }
                int sp = firstSpace(text);
                String args = sp < 0 ? "" : text.substring(sp + 1).strip();
                int argsFrom = args.isEmpty() ? end : pos + raw.indexOf(args, raw.indexOf('%') + 1);
                parts.add(new LineMagic(sp < 0 ? text.substring(1) : text.substring(1, sp), args, line, argsFrom));
                codeStart = eol < 0 ? cell.length() : eol + 1;
            }
            if (eol < 0) {
                break;
            }
            pos = eol + 1;
            line++;
        }
        if (codeStart < cell.length() && !cell.substring(codeStart).isBlank()) {
            parts.add(new Code(codeStart, cell.length()));
        }
        return parts;
    }

    /** Splits magic arguments at blanks; double quotes group words. */
    public static List<String> words(String args) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : args.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    any = false;
                }
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(cur.toString());
        }
        return out;
    }

    private static int firstSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int lineOf(String text, int pos) {
        int n = 0;
        for (int i = 0; i < pos; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
