package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {

    private static List<String> texts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "document number " + i + " says hello.").toList();
    }

    @Test
    void splitsAreDisjointCompleteAndDeterministic() {
        Corpus c = Corpus.ofTexts("t", texts(400));
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (Split s : Split.values()) {
            List<String> d = c.documents(s);
            assertThat(d).isNotEmpty();
            total += d.size();
            seen.addAll(d);
            assertThat(Corpus.ofTexts("t", texts(400)).documents(s)).isEqualTo(d);
        }
        assertThat(total).isEqualTo(400);
        assertThat(seen).hasSize(400);
        // about 90 / 5 / 5
        assertThat(c.documents(Split.TRAIN).size()).isBetween(340, 385);
    }

    @Test
    void splitDependsOnTextNotPosition() {
        List<String> a = texts(50);
        List<String> b = new ArrayList<>(a);
        java.util.Collections.reverse(b);
        Corpus ca = Corpus.ofTexts("a", a);
        Corpus cb = Corpus.ofTexts("b", b);
        for (int i = 0; i < 50; i++) {
            assertThat(cb.splitOf(49 - i)).isEqualTo(ca.splitOf(i));
        }
    }

    @Test
    void hashIsPinned() {
        // FNV-1a 64 + SplitMix64 finaliser: changing it would silently move documents between splits
        assertThat(CorpusSplits.hash("")).isEqualTo(mix(0xcbf29ce484222325L));
        long h = (0xcbf29ce484222325L ^ 'a') * 0x100000001b3L;
        assertThat(CorpusSplits.hash("a")).isEqualTo(mix(h));
    }

    private static long mix(long h) {
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    @Test
    void tinyCorporaStillHaveEverySplit() {
        for (int n = 3; n <= 12; n++) {
            Corpus c = Corpus.ofTexts("tiny", texts(n));
            for (Split s : Split.values()) {
                assertThat(c.documents(s)).as("n=%d split=%s", n, s).isNotEmpty();
            }
        }
        assertThatThrownBy(() -> Corpus.ofTexts("two", texts(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'two'").hasMessageContaining("2 document").hasMessageContaining("at least 3");
    }

    @Test
    void ofTextsRejectsBadInput() {
        assertThatThrownBy(() -> Corpus.ofTexts("x", List.of("a", " ", "c")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("texts[1] is blank");
        assertThatThrownBy(() -> Corpus.ofTexts(" ", texts(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name is blank");
    }

    @Test
    void ofFileSplitsParagraphsThenLines(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("notes.txt");
        Files.writeString(p, "\uFEFFfirst para\nstill first\n\n\nsecond\n  \nthird\n", StandardCharsets.UTF_8);
        Corpus c = Corpus.ofFile(p);
        assertThat(c.name()).isEqualTo("notes.txt");
        assertThat(c.documents()).containsExactly("first para\nstill first", "second", "third");
        Files.writeString(p, "one\ntwo\nthree\nfour", StandardCharsets.UTF_8);
        assertThat(Corpus.ofFile(p).documents()).containsExactly("one", "two", "three", "four");
        Files.writeString(p, "only one line", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Corpus.ofFile(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 document");
    }

    @Test
    void ofFileRejectsMissingBinaryAndInvalidUtf8(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Corpus.ofFile(dir.resolve("nope.txt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.txt")
                .hasMessageContaining("does not exist");
        Path bin = dir.resolve("x.bin");
        Files.write(bin, new byte[] {'a', 'b', 0, 'c'});
        assertThatThrownBy(() -> Corpus.ofFile(bin))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("binary")
                .hasMessageContaining("offset 2");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9\nb\nc".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Corpus.ofFile(latin1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("offset 3").hasMessageContaining("convert it to UTF-8");
    }

    @Test
    void ofDirectoryReadsSortedNonHiddenFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("b.txt"), "bee");
        Files.writeString(dir.resolve("a.txt"), "ay");
        Files.writeString(dir.resolve("sub/c.md"), "sea");
        Files.writeString(dir.resolve(".hidden"), "secret");
        Corpus c = Corpus.ofDirectory(dir);
        assertThat(c.documents()).containsExactly("ay", "bee", "sea");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Corpus.ofDirectory(empty))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no");
        assertThatThrownBy(() -> Corpus.ofDirectory(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void limitAndHeadKeepLeadingDocuments() {
        Corpus c = Corpus.ofTexts("t", texts(100));
        assertThat(c.limit(10).documents()).isEqualTo(c.documents().subList(0, 10));
        assertThat(c.limit(1000)).isSameAs(c);
        int len = c.documents().get(0).length();
        assertThat(c.head(5L * len).size()).isEqualTo(5);
        assertThat(c.head(1).size()).isEqualTo(Corpus.MIN_DOCUMENTS);
        assertThatThrownBy(() -> c.limit(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxDocs 2");
    }

    @Test
    void statsCountDocumentsCharactersBytesAndTokens() {
        Corpus c = Corpus.ofTexts("s", List.of("aé", "b", "c", "dd", "eee"));
        CorpusStats st = c.stats(Tokenizers.bytes());
        long docs = 0;
        long chars = 0;
        long bytes = 0;
        for (Split s : Split.values()) {
            CorpusStats.Part p = st.part(s);
            docs += p.documents();
            chars += p.characters();
            bytes += p.bytes();
            assertThat(p.tokens()).isEqualTo(p.bytes()); // byte-level: one token per byte
        }
        assertThat(docs).isEqualTo(5);
        assertThat(chars).isEqualTo(9);
        assertThat(bytes).isEqualTo(10);
        assertThat(st.toString()).contains("validation").contains("s / bytes");
    }

    @Test
    void europarlByLanguage() {
        var langs = Corpus.europarlLanguages();
        assertThat(langs.keySet()).contains("en", "de", "fr", "es", "it", "nl", "pl", "el", "bg");
        assertThat(langs.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(17_000);
        Corpus en = Corpus.europarl("en");
        assertThat(en.name()).isEqualTo("europarl-en");
        assertThat(en.size()).isEqualTo(langs.get("en")).isGreaterThan(1000);
        assertThat(en.documents(Split.VALIDATION).size()).isBetween(30, 110);
        assertThat(String.join(" ", en.documents().subList(0, 20))).contains(" the ");
        assertThatThrownBy(() -> Corpus.europarl("xx"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xx'").hasMessageContaining("en").hasMessageContaining("de");
    }
}
