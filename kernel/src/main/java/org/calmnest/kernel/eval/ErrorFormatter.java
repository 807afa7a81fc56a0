package org.calmnest.kernel.eval;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns compile diagnostics and exceptions into Jupyter traceback lines: positions in the
 * <em>cell</em> (line and column, with the offending span underlined), user frames first. Only
 * bold and red are used, so the text reads on light and dark themes alike.
 */
final class ErrorFormatter {

    static final String RED = "\u001b[1;31m";
    static final String BOLD = "\u001b[1m";
    static final String RESET = "\u001b[0m";
    private static final int LIBRARY_FRAMES = 8;

    /** Where a snippet's text starts: the cell's execution count and the 0-based line there. */
    record Origin(int cell, int firstLine) {
    }

    /** One compile diagnostic with absolute positions in the cell text. */
    record Diagnostic(boolean error, String message, int start, int end, int position) {
    }

    private ErrorFormatter() {
    }

    static List<String> compileErrors(String cell, int cellNumber, List<Diagnostic> diags) {
        List<String> lines = new ArrayList<>();
        for (Diagnostic d : diags) {
            int pos = clamp(d.position() >= 0 ? d.position() : d.start(), cell.length());
            int line = lineOf(cell, pos);
            int lineStart = cell.lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = cell.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = cell.length();
            }
            String[] msg = d.message().split("\\R");
            lines.add(RED + (d.error() ? "error: " : "warning: ") + RESET + BOLD + msg[0] + RESET);
            for (int i = 1; i < msg.length; i++) {
                if (!msg[i].strip().equals("location: class")) { // JShell's wrapper class: noise
                    lines.add("  " + msg[i].strip());
                }
            }
            lines.add(" --> cell [" + cellNumber + "], line " + (line + 1) + ", column " + (pos - lineStart + 1));
            String number = Integer.toString(line + 1);
            String pad = " ".repeat(number.length());
            lines.add(" " + number + " | " + cell.substring(lineStart, lineEnd));
            int from = Math.max(lineStart, Math.min(clamp(d.start(), cell.length()), pos));
            int to = Math.min(lineEnd, Math.max(clamp(d.end(), cell.length()), pos + 1));
            lines.add(" " + pad + " | " + " ".repeat(Math.max(0, from - lineStart))
                    + RED + "^".repeat(Math.max(1, to - from)) + RESET);
        }
        return lines;
    }

    /**
     * The exception with its cell frames first ({@code at method (cell [N], line L)}), then the
     * library frames it was thrown in, then its causes; kernel and reflection frames are dropped.
     *
     * @param t          the raw exception (its class and message are shown)
     * @param translated JShell's copy of it, whose stack names snippets ({@code #id}, snippet
     *                   line) instead of wrapper classes; may be null
     */
    static List<String> runtimeError(Throwable t, Throwable translated, Function<String, Origin> origins) {
        List<String> lines = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        String prefix = "";
        Throwable tr = translated;
        for (Throwable cur = t; cur != null && seen.add(cur); cur = cur.getCause()) {
            lines.add(prefix + RED + cur.getClass().getName() + RESET
                    + (cur.getMessage() != null ? BOLD + ": " + cur.getMessage() + RESET : ""));
            StackTraceElement[] frames = cur.getStackTrace();
            if (tr != null && tr.getStackTrace().length <= frames.length) {
                StackTraceElement[] named = tr.getStackTrace();
                frames = java.util.Arrays.copyOf(frames, frames.length);
                System.arraycopy(named, 0, frames, 0, named.length); // same frames, snippet names
            }
            appendFrames(lines, frames, origins);
            prefix = "Caused by: ";
            tr = tr == null ? null : tr.getCause();
        }
        return lines;
    }

    private static void appendFrames(List<String> lines, StackTraceElement[] frames,
                                     Function<String, Origin> origins) {
        int firstUser = -1;
        int lastUser = -1;
        for (int i = 0; i < frames.length; i++) {
            if (isSnippetFrame(frames[i])) {
                firstUser = firstUser < 0 ? i : firstUser;
                lastUser = i;
            }
        }
        if (firstUser < 0) { // thrown outside notebook code (a thread it started, a callback)
            for (int i = 0; i < Math.min(frames.length, LIBRARY_FRAMES * 2); i++) {
                lines.add("    at " + frames[i]);
            }
            if (frames.length > LIBRARY_FRAMES * 2) {
                lines.add("    ... " + (frames.length - LIBRARY_FRAMES * 2) + " more");
            }
            return;
        }
        String previous = null;
        for (int i = firstUser; i <= lastUser; i++) {
            if (isSnippetFrame(frames[i])) {
                String line = "    at " + describe(frames[i], origins);
                if (!line.equals(previous)) { // JShell's var wrappers repeat the same cell line
                    lines.add(line);
                }
                previous = line;
            }
        }
        if (firstUser > 0) {
            lines.add("  thrown in:");
            for (int i = 0; i < Math.min(firstUser, LIBRARY_FRAMES); i++) {
                lines.add("    at " + frames[i]);
            }
            if (firstUser > LIBRARY_FRAMES) {
                lines.add("    ... " + (firstUser - LIBRARY_FRAMES) + " more library frames");
            }
        }
    }

    static boolean isSnippetFrame(StackTraceElement e) {
        return e.getClassName().startsWith("REPL.") || (e.getFileName() != null && e.getFileName().startsWith("#"));
    }

    private static String describe(StackTraceElement e, Function<String, Origin> origins) {
        String file = e.getFileName();
        if (file == null || !file.startsWith("#")) { // not translated: a wrapper class frame
            return e.getMethodName() + " (" + e.getClassName() + ")";
        }
        String cls = e.getClassName();
        String method = e.getMethodName();
        String where = method.isEmpty() || method.startsWith("do_it$") ? "cell code"
                : (cls.isEmpty() ? "" : cls + ".") + method;
        Origin o = origins.apply(file.substring(1));
        if (o == null || e.getLineNumber() <= 0) {
            return where + " (snippet " + file + ")";
        }
        return where + " (cell [" + o.cell() + "], line " + (o.firstLine() + e.getLineNumber()) + ")";
    }

    static int lineOf(String text, int pos) {
        int line = 0;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int clamp(long v, int len) {
        return (int) Math.max(0, Math.min(v, len));
    }

}
