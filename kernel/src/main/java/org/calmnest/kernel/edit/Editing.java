package org.calmnest.kernel.edit;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Documentation;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import org.calmnest.kernel.magic.CellParts;
import org.calmnest.kernel.magic.Magics;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Editing help from JShell's source analysis: completion (Java, the DSL, magics), inspection
 * (signature plus javadoc, from the JDK sources and the calmnest sources bundled in the kernel
 * jar), and {@code is_complete}.
 */
public final class Editing {

    /** Replacement texts and the range of the cell they replace. */
    public record Completion(List<String> matches, int start, int end) {
    }

    public static final String COMPLETE = "complete";
    public static final String INVALID = "invalid";
    public static final String UNKNOWN = "unknown";

    private final SourceCodeAnalysis analysis;
    private final SourceDocs docs;

    public Editing(SourceCodeAnalysis analysis, SourceDocs docs) {
        this.analysis = analysis;
        this.docs = docs;
    }

    public Completion complete(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String line = code.substring(lineStart, cursor);
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("%") && !trimmed.contains(" ")) {
            return magicCompletion(trimmed, cursor);
        }
        int start = snippetStart(code, cursor);
        String text = code.substring(start, cursor);
        int[] anchor = new int[1];
        List<Suggestion> suggestions = analysis.completionSuggestions(text, text.length(), anchor);
        Set<String> typed = new LinkedHashSet<>();
        Set<String> rest = new LinkedHashSet<>();
        for (Suggestion s : suggestions) {
            (s.matchesType() ? typed : rest).add(s.continuation());
        }
        typed.addAll(rest);
        return new Completion(new ArrayList<>(typed), start + anchor[0], cursor);
    }

    private static Completion magicCompletion(String typed, int cursor) {
        boolean cell = typed.startsWith("%%");
        String prefix = typed.substring(cell ? 2 : 1);
        List<String> out = new ArrayList<>();
        for (String n : cell ? Magics.cellMagicNames() : Magics.lineMagicNames()) {
            if (n.startsWith(prefix)) {
                out.add((cell ? "%%" : "%") + n);
            }
        }
        return new Completion(out, cursor - typed.length(), cursor);
    }

    /**
     * Signature and javadoc of what the cursor is on (a method, a type, a field); null when
     * there is nothing to document there.
     */
    public String inspect(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int end = cursor;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++; // document the whole name under the cursor, not its first half
        }
        if (end < code.length() && code.charAt(end) == '(') {
            end++;
        }
        int start = snippetStart(code, end);
        String text = code.substring(start, end);
        List<Documentation> found = analysis.documentation(text, text.length(), true);
        if (found.isEmpty() && !text.endsWith("(")) { // "Math.max" documents like "Math.max("
            found = analysis.documentation(text + "(", text.length() + 1, true);
        }
        if (found.isEmpty()) {
            SourceCodeAnalysis.QualifiedNames names = analysis.listQualifiedNames(text, text.length());
            if (names.getNames().isEmpty()) {
                return null;
            }
            return String.join("\n", names.getNames());
        }
        StringBuilder sb = new StringBuilder();
        for (Documentation d : found) {
            if (sb.length() > 0) {
                sb.append("\n\n");
            }
            sb.append(d.signature());
            String javadoc = d.javadoc();
            if (javadoc == null || javadoc.isBlank()) {
                javadoc = docs.javadocFor(d.signature());
            }
            if (javadoc != null && !javadoc.isBlank()) {
                sb.append("\n").append(javadoc.strip());
            }
        }
        return sb.toString();
    }

    /** {@code complete}, {@code invalid}, or the indent of the next line when more is needed. */
    public String isComplete(String code) {
        if (code.isBlank()) {
            return COMPLETE;
        }
        if (CellParts.cellMagic(code) != null) {
            return COMPLETE;
        }
        String rest = code;
        while (!rest.isBlank()) {
            String firstLine = rest.stripLeading();
            if (firstLine.startsWith("%")) { // a magic line is complete on its own
                int eol = rest.indexOf('\n');
                if (eol < 0) {
                    return COMPLETE;
                }
                rest = rest.substring(eol + 1);
                continue;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            switch (c) {
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                    return "    ";
                case UNKNOWN:
                    return INVALID;
                case EMPTY:
                    return COMPLETE;
                default:
                    if (info.remaining().length() >= rest.length()) {
                        return UNKNOWN;
                    }
                    rest = info.remaining();
            }
        }
        return COMPLETE;
    }

    /** Start of the snippet the cursor is in: after the last complete snippet before it. */
    private int snippetStart(String code, int cursor) {
        int pos = 0;
        while (pos < cursor) {
            String rest = code.substring(pos, cursor);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            int consumed = rest.length() - info.remaining().length();
            if (info.completeness() == Completeness.EMPTY || consumed <= 0 || info.remaining().isBlank()
                    || !info.completeness().isComplete()) {
                break;
            }
            pos += consumed;
        }
        while (pos < cursor && Character.isWhitespace(code.charAt(pos))) {
            pos++;
        }
        return pos;
    }
}
