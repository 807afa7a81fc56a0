package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

    /** A BPE trained on a few documents of every Europarl language (shared by the tests). */
    private static BpeTokenizer multi;
    private static Map<String, Integer> languages;
    private static final String ALPHABET = " aeiouéßłΩж\n\t.,1"; // BMP only: every index is a code point

    @BeforeAll
    static void trainOnce() {
        languages = Corpus.europarlLanguages();
        List<String> texts = new ArrayList<>();
        for (String lang : languages.keySet()) {
            texts.addAll(Corpus.europarl(lang).documents(Split.TRAIN).subList(0, 8));
        }
        multi = BpeTokenizer.train(texts, 1024);
    }

    @Test
    void knownAnswerOnTheTextbookExample() {
        // aaabdaaabac: (a,a) 4x first; then (a,b) and (Z,a) tie at 2 -> smaller pair (97,98); then (Z,Y)
        BpeTokenizer t = BpeTokenizer.train(List.of("aaabdaaabac"), 300);
        assertThat(t.merges()).isEqualTo(3);
        assertThat(t.vocabSize()).isEqualTo(263);
        assertThat(t.tokenBytes(260)).isEqualTo("aa".getBytes(StandardCharsets.US_ASCII));
        assertThat(t.tokenBytes(261)).isEqualTo("ab".getBytes(StandardCharsets.US_ASCII));
        assertThat(t.tokenBytes(262)).isEqualTo("aaab".getBytes(StandardCharsets.US_ASCII));
        assertThat(t.encode("aaabdaaabac")).containsExactly(262, 'd', 262, 'a', 'c');
        assertThat(t.name()).isEqualTo("bpe-263");
    }

    @Test
    void trainingIsDeterministic(@TempDir Path dir) throws Exception {
        List<String> texts = Corpus.europarl("de").documents(Split.TRAIN).subList(0, 40);
        BpeTokenizer a = BpeTokenizer.train(texts, 700);
        BpeTokenizer b = BpeTokenizer.train(new ArrayList<>(texts), 700);
        a.save(dir.resolve("a.json"));
        b.save(dir.resolve("b.json"));
        assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo(Files.readString(dir.resolve("b.json")));
        assertThat(a.vocabSize()).isEqualTo(700);
    }

    @Test
    void roundTripsEveryEuroparlLanguage() {
        for (String lang : languages.keySet()) {
            List<String> held = Corpus.europarl(lang).documents(Split.VALIDATION);
            for (String doc : held.subList(0, Math.min(5, held.size()))) {
                int[] ids = multi.encode(doc);
                assertThat(multi.decode(ids)).as(lang).isEqualTo(doc);
                assertThat(ids.length).as(lang).isLessThan(doc.getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    void roundTripsRandomBytesAndStrings() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bytes = new byte[rnd.nextInt(300)];
            rnd.nextBytes(bytes);
            assertThat(multi.decodeBytes(multi.encodeBytes(bytes))).isEqualTo(bytes);
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(80); i > 0; i--) {
                int cp = rnd.nextInt(4) == 0 ? rnd.nextInt(0x10FFFF + 1) : ALPHABET.codePointAt(rnd.nextInt(ALPHABET.length()));
                if (cp < 0xD800 || cp > 0xDFFF) {
                    sb.appendCodePoint(cp);
                }
            }
            String s = sb.toString();
            assertThat(multi.decode(multi.encode(s))).isEqualTo(s);
        }
        String longRun = "a".repeat(5000) + " " + "!".repeat(3000);
        assertThat(multi.decode(multi.encode(longRun))).isEqualTo(longRun);
    }

    @Test
    void compressesEnglishMoreThanBytes() {
        List<String> en = Corpus.europarl("en").documents(Split.TRAIN).subList(0, 60);
        BpeTokenizer t = BpeTokenizer.train(en, 1024);
        Corpus held = Corpus.ofTexts("held", Corpus.europarl("en").documents(Split.VALIDATION));
        CorpusStats.Part p = held.stats(t).part(Split.TRAIN);
        assertThat(p.bytesPerToken()).isGreaterThan(2.5);
        for (int id = 0; id < t.vocabSize(); id++) {
            assertThat(t.byteLength(id)).isEqualTo(id >= 256 && id < 260 ? 0 : t.tokenBytes(id).length);
        }
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bpe.json");
        multi.save(f);
        Tokenizer back = Tokenizers.load(f);
        assertThat(back).isInstanceOf(BpeTokenizer.class);
        assertThat(back.vocabSize()).isEqualTo(multi.vocabSize());
        String s = Corpus.europarl("fr").documents().get(3);
        assertThat(back.encode(s)).isEqualTo(multi.encode(s));
    }

    @Test
    void rejectsSmallVocabularyAndCorruptFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> BpeTokenizer.train(List.of("abc"), 259))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabSize 259")
                .hasMessageContaining("at least 260");
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"type\":\"bpe\",\"merges\":[[97,98],[97,300]]}");
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("merge 1").hasMessageContaining("corrupt");
        Files.writeString(f, "{\"type\":\"bpe\",\"merges\":[[97,98]],\"vocabSize\":999}");
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabSize 999");
        Files.writeString(f, "{\"type\":\"bpe\",\"merges\":[[97,98],[97,98]]}");
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("repeats");
    }

    @Test
    void piecesPartitionTheInput() {
        List<String> pieces = pieces(" the cat, 42!!  \n x");
        assertThat(pieces).containsExactly(" the", " cat", ",", " 42", "!!", "  \n", " x");
        byte[] bad = {(byte) 0xFF, 'a', (byte) 0xC3};
        List<int[]> ranges = new ArrayList<>();
        BytePieces.split(bad, bad.length, (s, e) -> {
            ranges.add(new int[] {s, e});
            return 0;
        });
        assertThat(ranges).hasSize(3);
        assertThat(pieces("x".repeat(300))).hasSize(3).allMatch(p -> p.length() <= BytePieces.MAX_PIECE_BYTES);
    }

    private static List<String> pieces(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        BytePieces.split(b, b.length, (st, e) -> {
            out.add(new String(b, st, e - st, StandardCharsets.UTF_8));
            return 0;
        });
        return out;
    }
}
