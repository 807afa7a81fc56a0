package org.calmnest.lib.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.CharArrayMap;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;

/**
 * Identifies the language of a text from the per-language stop-word lists that ship with Lucene
 * ({@code lucene-analysis-common}: the Snowball lists and the per-language {@code stopwords.txt};
 * {@code lucene-analysis-stempel} for Polish). No word list is typed in here: the table below
 * only names the Lucene resource of each language.
 *
 * <p>Score of language L on a text with word tokens w_1..w_n (lower-cased, Greek final sigma
 * and accents folded as Lucene's Greek analyser does): {@code s_L = (1/n) * sum_i [w_i in Stop_L]}.
 * The answer is {@code argmax_L s_L} when {@code s_best >= MIN_SCORE} and
 * {@code s_best - s_second >= MIN_MARGIN}; otherwise {@link #UNDETERMINED}. Stop words are the
 * most frequent words of a language, so running text in L typically scores 0.3-0.5 on L and far
 * less elsewhere.
 *
 * <p>Only the 19 Europarl languages that Lucene has a list for are candidates (bg cs da de el en es
 * et fi fr hu it lt lv nl pl pt ro sv); lists of languages absent from Europarl (Norwegian, Catalan,
 * ...) are left out because they would steal documents from their close neighbours. Slovak and
 * Slovenian have no Lucene list: Slovenian text comes out undetermined, but Slovak text usually
 * scores as Czech here. For the Europarl sample, {@link OrthographySplit} corrects that on the
 * whole corpus (see lib/results/data.md); a single text given to {@link #identify} gets no such pass.
 */
public final class LanguageIdentifier {

    /** Code returned when no language is clearly ahead. */
    public static final String UNDETERMINED = "und";
    /** Minimum fraction of tokens that must be stop words of the winning language. */
    public static final double MIN_SCORE = 0.10;
    /** Minimum lead of the winner over the runner-up, as a fraction of tokens. */
    public static final double MIN_MARGIN = 0.03;
    /** Only this many leading characters are scored (plenty for a clear decision, and fast). */
    public static final int MAX_CHARS = 4000;

    /** ISO 639-1 code -> Lucene resource holding that language's stop words. */
    private static final Map<String, String> RESOURCES = resources();

    private static final LanguageIdentifier INSTANCE = new LanguageIdentifier();

    private final List<String> codes;
    /** word -> bit set of the languages (indices into codes) that list it. */
    private final CharArrayMap<Long> membership;

    private LanguageIdentifier() {
        this.codes = List.copyOf(RESOURCES.keySet());
        CharArrayMap<Long> m = new CharArrayMap<>(4096, false);
        for (int li = 0; li < codes.size(); li++) {
            long bit = 1L << li;
            for (Object w : load(RESOURCES.get(codes.get(li)))) {
                String word = fold(new String((char[]) w));
                if (!word.isEmpty()) {
                    Long old = m.get(word);
                    m.put(word, old == null ? bit : old | bit);
                }
            }
        }
        this.membership = CharArrayMap.unmodifiableMap(m);
    }

    /** The shared identifier (its tables are built once per JVM). */
    public static LanguageIdentifier get() {
        return INSTANCE;
    }

    /** Codes this identifier can return, besides {@link #UNDETERMINED}, in a fixed order. */
    public List<String> languages() {
        return codes;
    }

    /** The language code of the text, or {@link #UNDETERMINED}. */
    public String identify(String text) {
        return guess(text).language();
    }

    /** Winner, its score s_best and its margin s_best - s_second (both fractions of tokens). */
    record Guess(String language, double score, double margin) {
    }

    /** Scores the first {@link #MAX_CHARS} characters of the text. */
    Guess guess(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LanguageIdentifier.identify: text is null; pass a string");
        }
        int[] hits = new int[codes.size()];
        int tokens = 0;
        int n = Math.min(text.length(), MAX_CHARS);
        char[] word = new char[64];
        int wl = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            if (Character.isLetter(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
                if (wl < word.length) {
                    word[wl] = c;
                }
                wl++;
                continue;
            }
            if (wl > 0 && wl <= word.length) {
                tokens++;
                Long mask = lookup(word, wl);
                if (mask != null) {
                    long bits = mask;
                    while (bits != 0) {
                        hits[Long.numberOfTrailingZeros(bits)]++;
                        bits &= bits - 1;
                    }
                }
            } else if (wl > word.length) {
                tokens++; // a very long word is no stop word
            }
            wl = 0;
        }
        if (tokens == 0) {
            return new Guess(UNDETERMINED, 0, 0);
        }
        int best = 0;
        int second = -1;
        for (int li = 1; li < hits.length; li++) {
            if (hits[li] > hits[best]) {
                second = best;
                best = li;
            } else if (second < 0 || hits[li] > hits[second]) {
                second = li;
            }
        }
        double score = hits[best] / (double) tokens;
        double margin = (hits[best] - hits[second]) / (double) tokens;
        String code = score >= MIN_SCORE && margin >= MIN_MARGIN ? codes.get(best) : UNDETERMINED;
        return new Guess(code, score, margin);
    }

    /** Lower-cases the word in place (folding as {@link #fold}) and looks it up. */
    private Long lookup(char[] w, int len) {
        char c0 = Character.toLowerCase(w[0]);
        if ((c0 >= 0x370 && c0 <= 0x3FF) || (c0 >= 0x1F00 && c0 <= 0x1FFF)) {
            return membership.get(fold(new String(w, 0, len)));
        }
        for (int k = 0; k < len; k++) {
            char c = Character.toLowerCase(w[k]);
            w[k] = c == '\u0219' ? '\u015F' : c == '\u021B' ? '\u0163' : c;
        }
        return membership.get(w, 0, len);
    }

    /**
     * Lower case; Romanian comma-below s/t to the cedilla forms; Greek: accents removed and final
     * sigma folded, as the Lucene Greek list expects.
     */
    static String fold(String w) {
        String s = w.toLowerCase(Locale.ROOT);
        char c0 = s.isEmpty() ? 0 : s.charAt(0);
        boolean greek = (c0 >= 0x370 && c0 <= 0x3FF) || (c0 >= 0x1F00 && c0 <= 0x1FFF);
        if (!greek) {
            // Romanian is written with comma-below s/t and, in older text, cedilla s/t: one form
            return s.indexOf('\u0219') < 0 && s.indexOf('\u021B') < 0 ? s : s.replace('\u0219', '\u015F').replace('\u021B', '\u0163');
        }
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(d.length());
        for (int k = 0; k < d.length(); k++) {
            char c = d.charAt(k);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                b.append(c == 'ς' ? 'σ' : c);
            }
        }
        return b.toString();
    }

    private static CharArraySet load(String resource) {
        InputStream in = LanguageIdentifier.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("LanguageIdentifier: Lucene resource " + resource
                    + " is not on the class path; add lucene-analysis-common and lucene-analysis-stempel");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return resource.contains("/snowball/")
                    ? WordlistLoader.getSnowballWordSet(r)
                    : WordlistLoader.getWordSet(r, "#");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> resources() {
        String a = "org/apache/lucene/analysis/";
        String s = a + "snowball/";
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bg", a + "bg/stopwords.txt");
        m.put("cs", a + "cz/stopwords.txt");
        m.put("da", s + "danish_stop.txt");
        m.put("de", s + "german_stop.txt");
        m.put("el", a + "el/stopwords.txt");
        m.put("en", s + "english_stop.txt");
        m.put("es", s + "spanish_stop.txt");
        m.put("et", a + "et/stopwords.txt");
        m.put("fi", s + "finnish_stop.txt");
        m.put("fr", s + "french_stop.txt");
        m.put("hu", s + "hungarian_stop.txt");
        m.put("it", s + "italian_stop.txt");
        m.put("lt", a + "lt/stopwords.txt");
        m.put("lv", a + "lv/stopwords.txt");
        m.put("nl", s + "dutch_stop.txt");
        m.put("pl", a + "pl/stopwords.txt");
        m.put("pt", s + "portuguese_stop.txt");
        m.put("ro", a + "ro/stopwords.txt");
        m.put("sv", s + "swedish_stop.txt");
        return Collections.unmodifiableMap(m);
    }
}
