package org.calmnest.lib.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Text to ids and back. Every tokenizer has the four special ids PAD, EOS, MASK and BOS, and
 * {@code decode(encode(s)).equals(s)} holds for every string (byte-level, so any UTF-8 text).
 */
public interface Tokenizer {

    /** Number of ids, specials included. */
    int vocabSize();

    int pad();

    int eos();

    int mask();

    int bos();

    /** Ids of the text, with no special ids added. */
    int[] encode(String text);

    /** Text of the ids; special ids are skipped. */
    String decode(int[] ids);

    /**
     * UTF-8 bytes of text that one id stands for: 0 for the special ids, -1 when the tokenizer
     * cannot say (then batches report 0 bytes, i.e. unknown, and bits per byte is unavailable).
     */
    default int byteLength(int id) {
        return -1;
    }

    /** Short name, e.g. "bytes" or "bpe-2048". */
    String name();

    /** Writes the tokenizer as a small text/JSON file (no Java serialisation). */
    void save(Path file) throws IOException;
}
