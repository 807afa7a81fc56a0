package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads a GPT-2 style byte-level BPE tokenizer.json (written here) through DJL's HF tokenizers, offline. */
class HfTokenizerTest {

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n. */
    private static String[] byteChars() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        String[] out = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            out[b] = bs.contains(b) ? String.valueOf((char) b) : String.valueOf((char) (256 + n++));
        }
        return out;
    }

    private static Path writeTokenizerJson(Path dir) throws Exception {
        String[] ch = byteChars();
        JsonObject vocab = new JsonObject();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(ch[b], b);
        }
        String sp = ch[' '];
        String[][] merges = {{sp, "t"}, {"h", "e"}, {sp + "t", "he"}};
        JsonArray m = new JsonArray();
        for (String[] p : merges) {
            vocab.addProperty(p[0] + p[1], vocab.size());
            m.add(p[0] + " " + p[1]);
        }
        JsonObject bl = new JsonObject();
        bl.addProperty("type", "ByteLevel");
        bl.addProperty("add_prefix_space", false);
        bl.addProperty("trim_offsets", true);
        bl.addProperty("use_regex", true);
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.add("continuing_subword_prefix", JsonNull.INSTANCE);
        model.add("end_of_word_suffix", JsonNull.INSTANCE);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", m);
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        root.add("added_tokens", new JsonArray());
        root.add("normalizer", JsonNull.INSTANCE);
        root.add("pre_tokenizer", bl);
        root.add("post_processor", JsonNull.INSTANCE);
        root.add("decoder", bl);
        root.add("model", model);
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, root.toString());
        return f;
    }

    @Test
    void loadsOfflineEncodesAndRoundTrips(@TempDir Path dir) throws Exception {
        try (HfTokenizer t = HfTokenizer.load(writeTokenizerJson(dir))) {
            assertThat(t.vocabSize()).isEqualTo(259 + 4);
            assertThat(new int[] {t.pad(), t.eos(), t.mask(), t.bos()}).containsExactly(259, 260, 261, 262);
            assertThat(t.encode(" the")).containsExactly(258);           // merges " t" + "he" -> " the"
            assertThat(t.encode("the")).containsExactly('t', 257);
            String s = "the cat and the dog, café 😀 Ελληνικά";
            assertThat(t.decode(t.encode(s))).isEqualTo(s);
            int[] withSpecials = {t.bos(), 258, t.eos(), t.pad()};
            assertThat(t.decode(withSpecials)).isEqualTo(" the");
            Random rnd = new Random(5);
            for (int i = 0; i < 50; i++) {
                StringBuilder b = new StringBuilder();
                for (int j = rnd.nextInt(40); j > 0; j--) {
                    int cp = rnd.nextInt(0x3000);
                    if (cp < 0xD800 || cp > 0xDFFF) {
                        b.appendCodePoint(cp);
                    }
                }
                assertThat(t.decode(t.encode(b.toString()))).isEqualTo(b.toString());
            }
            Path saved = dir.resolve("saved.json");
            t.save(saved);
            Tokenizer back = Tokenizers.load(saved);
            assertThat(back).isInstanceOf(HfTokenizer.class);
            assertThat(back.encode(s)).isEqualTo(t.encode(s));
            ((HfTokenizer) back).close();
        }
    }

    @Test
    void rejectsMissingAndForeignFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> HfTokenizer.load(dir.resolve("none.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none.json");
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"hello\": 1}");
        assertThatThrownBy(() -> HfTokenizer.load(f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Hugging Face tokenizer.json");
    }
}
