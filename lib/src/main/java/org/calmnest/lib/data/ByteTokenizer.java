package org.calmnest.lib.data;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Byte-level tokenizer: the id of a byte is its unsigned value (0..255), followed by the four
 * specials PAD = 256, EOS = 257, MASK = 258, BOS = 259 (vocabulary size 260).
 *
 * <p>{@code decode(encode(s)).equals(s)} holds for every well-formed string (no lone UTF-16
 * surrogates: those have no UTF-8 form and Java replaces them by '?'). For arbitrary bytes use
 * {@link #encodeBytes(byte[])} / {@link #decodeBytes(int[])}, which round-trip every byte array.
 */
public final class ByteTokenizer implements Tokenizer {

    /** Number of byte ids; the specials follow them. */
    public static final int BYTES = 256;
    public static final int PAD = 256;
    public static final int EOS = 257;
    public static final int MASK = 258;
    public static final int BOS = 259;
    /** Byte ids plus the four specials. */
    public static final int VOCAB_SIZE = 260;

    static final String TYPE = "bytes";

    private static final ByteTokenizer INSTANCE = new ByteTokenizer();

    private ByteTokenizer() {
    }

    /** The (stateless) byte tokenizer. */
    public static ByteTokenizer create() {
        return INSTANCE;
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public int pad() {
        return PAD;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public int mask() {
        return MASK;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("ByteTokenizer.encode: text is null; pass a string (\"\" for none)");
        }
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One id per byte. */
    public int[] encodeBytes(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of the ids; special ids are skipped, ids outside the vocabulary rejected. */
    public byte[] decodeBytes(int[] ids) {
        byte[] out = new byte[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("ByteTokenizer.decode: id " + id
                        + " is outside the vocabulary [0, " + VOCAB_SIZE + "); decode ids produced by this tokenizer");
            }
            if (id < BYTES) {
                out[n++] = (byte) id;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    @Override
    public int byteLength(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("ByteTokenizer.byteLength: id " + id
                    + " is outside the vocabulary [0, " + VOCAB_SIZE + ")");
        }
        return id < BYTES ? 1 : 0;
    }

    @Override
    public String name() {
        return TYPE;
    }

    @Override
    public void save(Path file) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("type", TYPE);
        json.addProperty("version", 1);
        json.addProperty("vocabSize", VOCAB_SIZE);
        Tokenizers.writeJson(file, json);
    }

    @Override
    public String toString() {
        return "ByteTokenizer[vocab=" + VOCAB_SIZE + ", PAD=256, EOS=257, MASK=258, BOS=259]";
    }
}
