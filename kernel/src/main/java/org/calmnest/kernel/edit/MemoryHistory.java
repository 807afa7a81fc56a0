package org.calmnest.kernel.edit;

import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The executed cells of this kernel session, for {@code history_request} (tail, range and glob
 * search). Kept in memory: a restarted kernel starts a new, empty history.
 */
public final class MemoryHistory implements HistoryManager {

    private static final int SESSION = 1;

    private record Cell(int number, String input, String output) {
    }

    private final List<Cell> cells = new ArrayList<>();

    public synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int n = length <= 0 ? cells.size() : Math.min(length, cells.size());
        return entries(cells.subList(cells.size() - n, cells.size()), flags);
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int sessionOffset, int start, int stop, Set<ResultFlag> flags) {
        List<Cell> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.number() >= start && (stop <= 0 || c.number() < stop)) {
                out.add(c);
            }
        }
        // the current session is 0 (relative) or SESSION (the number this history reports)
        return entries(sessionOffset == 0 || sessionOffset == SESSION ? out : List.of(), flags);
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern p = Pattern.compile(globToRegex(pattern == null || pattern.isEmpty() ? "*" : pattern), Pattern.DOTALL);
        List<Cell> found = new ArrayList<>();
        for (Cell c : cells) {
            if (p.matcher(c.input()).matches()) {
                found.add(c);
            }
        }
        if (flags.contains(ResultFlag.UNIQUE)) {
            Map<String, Cell> unique = new LinkedHashMap<>();
            for (Cell c : found) {
                unique.remove(c.input());
                unique.put(c.input(), c); // keep the latest occurrence, in order
            }
            found = new ArrayList<>(unique.values());
        }
        int n = length <= 0 ? found.size() : Math.min(length, found.size());
        return entries(found.subList(found.size() - n, found.size()), flags);
    }

    private static List<HistoryEntry> entries(List<Cell> cells, Set<ResultFlag> flags) {
        boolean output = flags.contains(ResultFlag.INCLUDE_OUTPUT);
        List<HistoryEntry> out = new ArrayList<>(cells.size());
        for (Cell c : cells) {
            out.add(new HistoryEntry(SESSION, c.number(), c.input(), output ? c.output() : null));
        }
        return out;
    }

    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, close);
                        re.append('[').append(body).append(']'); // glob and regex classes agree: [a-z], [^x]
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }
}
