package org.calmnest.lib.data;

import java.util.Map;

/**
 * Size of a corpus per split under one tokenizer.
 *
 * @param corpus    corpus name
 * @param tokenizer tokenizer name
 * @param parts     one entry per {@link Split}
 */
public record CorpusStats(String corpus, String tokenizer, Map<Split, Part> parts) {

    /** Size of one split; tokens exclude EOS and padding. */
    public record Part(int documents, long characters, long bytes, long tokens) {
        /** UTF-8 bytes per token (compression of the tokenizer). */
        public double bytesPerToken() {
            return tokens == 0 ? 0 : bytes / (double) tokens;
        }
    }

    public CorpusStats {
        parts = Map.copyOf(parts);
    }

    public Part part(Split split) {
        return parts.get(split);
    }

    /** A small aligned table, one row per split. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s / %s%n%-10s %9s %12s %12s %12s %8s%n", corpus, tokenizer,
                "split", "documents", "characters", "bytes", "tokens", "B/token"));
        for (Split s : Split.values()) {
            Part p = parts.get(s);
            b.append(String.format("%-10s %9d %12d %12d %12d %8.3f%n", s.name().toLowerCase(), p.documents(),
                    p.characters(), p.bytes(), p.tokens(), p.bytesPerToken()));
        }
        return b.toString();
    }
}
