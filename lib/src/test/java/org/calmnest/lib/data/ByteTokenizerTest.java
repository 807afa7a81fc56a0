package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteTokenizerTest {

    private final ByteTokenizer tok = Tokenizers.bytes();

    @Test
    void idsAreBytesThenSpecials() {
        assertThat(tok.vocabSize()).isEqualTo(260);
        assertThat(new int[] {tok.pad(), tok.eos(), tok.mask(), tok.bos()}).containsExactly(256, 257, 258, 259);
        // "é" is C3 A9 in UTF-8
        assertThat(tok.encode("aé")).containsExactly(0x61, 0xC3, 0xA9);
    }

    @Test
    void roundTripsMultilingualText() {
        String s = "Hello, Ελληνικά, Русский, 中文, emoji 😀, tab\t, nul \0 end";
        assertThat(tok.decode(tok.encode(s))).isEqualTo(s);
        assertThat(tok.decode(tok.encode(""))).isEmpty();
    }

    @Test
    void decodeSkipsSpecials() {
        int[] ids = {259, 'h', 'i', 257, 256, 256, 258};
        assertThat(tok.decode(ids)).isEqualTo("hi");
    }

    @Test
    void roundTripsRandomBytesAndRandomCodePoints() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bytes = new byte[rnd.nextInt(64)];
            rnd.nextBytes(bytes);
            assertThat(tok.decodeBytes(tok.encodeBytes(bytes))).isEqualTo(bytes);

            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(40); i > 0; i--) {
                int cp = rnd.nextInt(0x10FFFF + 1);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    continue; // lone surrogates are not text
                }
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            assertThat(tok.decode(tok.encode(s))).isEqualTo(s);
        }
    }

    @Test
    void rejectsIdsOutsideVocabulary() {
        assertThatThrownBy(() -> tok.decode(new int[] {260}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("260").hasMessageContaining("[0, 260)");
        assertThatThrownBy(() -> tok.decode(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void savesAndLoads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/tok.json");
        tok.save(file);
        assertThat(Files.readString(file)).contains("\"type\":\"bytes\"");
        Tokenizer back = Tokenizers.load(file);
        assertThat(back).isSameAs(tok);
        assertThat(back.decode(back.encode("abc"))).isEqualTo("abc");
    }

    @Test
    void loadRejectsMissingAndCorruptFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Tokenizers.load(dir.resolve("none.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.json")
                .hasMessageContaining("does not exist");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Tokenizers.load(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a tokenizer JSON");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"type\":\"wordpiece\"}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Tokenizers.load(other))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wordpiece");
    }
}
