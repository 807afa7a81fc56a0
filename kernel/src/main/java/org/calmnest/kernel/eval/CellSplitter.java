package org.calmnest.kernel.eval;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a cell into JShell snippets. {@code JShell.eval} evaluates only the first snippet of its
 * input, so the cell is cut with {@code analyzeCompletion} in a loop; each piece keeps its offset
 * in the cell so errors can name the cell's line and column.
 */
final class CellSplitter {

    /** One snippet's source (as JShell wants it) and where its text starts in the cell. */
    record Piece(String source, int offset, boolean complete) {
    }

    private CellSplitter() {
    }

    /** Splits {@code cell.substring(from, to)}; offsets are relative to the whole cell. */
    static List<Piece> split(SourceCodeAnalysis analysis, String cell, int from, int to) {
        List<Piece> pieces = new ArrayList<>();
        int pos = from;
        while (pos < to) {
            String rest = cell.substring(pos, to);
            if (rest.isBlank()) {
                break;
            }
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            int consumed = rest.length() - info.remaining().length();
            if (!c.isComplete() || consumed <= 0 || info.source() == null) {
                // incomplete input: evaluate it all so JShell reports the error at the right place
                pieces.add(new Piece(rest.strip(), pos + leadingWhitespace(rest), false));
                break;
            }
            String segment = rest.substring(0, consumed);
            pieces.add(new Piece(info.source(), pos + indexOfSource(segment, info.source()), true));
            pos += consumed;
        }
        return pieces;
    }

    private static int indexOfSource(String segment, String source) {
        int i = segment.indexOf(source);
        if (i < 0 && source.endsWith(";")) { // COMPLETE_WITH_SEMI: JShell appended the semicolon
            i = segment.indexOf(source.substring(0, source.length() - 1));
        }
        return i >= 0 ? i : leadingWhitespace(segment);
    }

    private static int leadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
