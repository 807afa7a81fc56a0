package org.calmnest.lib.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE. Ids 0..255 are bytes, 256..259 the specials PAD, EOS, MASK, BOS (as in
 * {@link ByteTokenizer}), and id {@code 260 + i} is merge i, the concatenation of the two ids of
 * pair i. Encoding cuts the UTF-8 bytes into {@link BytePieces} and, in each piece, repeatedly
 * merges the adjacent pair with the lowest merge index (all its non-overlapping occurrences, left
 * to right) - exactly what training did to that piece. Every byte stays reachable, so
 * {@code decode(encode(s)).equals(s)} for every well-formed string and
 * {@code decodeBytes(encodeBytes(b))} equals b for every byte array.
 */
public final class BpeTokenizer implements Tokenizer {

    static final String TYPE = "bpe";
    private static final int FIRST_MERGE = ByteTokenizer.VOCAB_SIZE;
    private static final int CACHE_LIMIT = 1 << 17;

    private final int[][] merges;                 // (merges, 2)
    private final Map<Long, Integer> mergeId;     // pair -> merged id (= rank + 260)
    private final byte[][] tokenBytes;            // id -> bytes it stands for
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeTokenizer(List<int[]> merges, String where) {
        this.merges = merges.toArray(new int[0][]);
        int vocab = FIRST_MERGE + this.merges.length;
        this.tokenBytes = new byte[vocab][];
        for (int i = 0; i < 256; i++) {
            tokenBytes[i] = new byte[] {(byte) i};
        }
        for (int i = 256; i < FIRST_MERGE; i++) {
            tokenBytes[i] = new byte[0];
        }
        this.mergeId = new HashMap<>(this.merges.length * 2);
        for (int i = 0; i < this.merges.length; i++) {
            int a = this.merges[i][0];
            int b = this.merges[i][1];
            int z = FIRST_MERGE + i;
            if (!isText(a, z) || !isText(b, z)) {
                throw new IllegalArgumentException("BpeTokenizer: " + where + ": merge " + i + " = [" + a + ", " + b
                        + "] uses an id that is special or not yet defined (must be a byte < 256 or a merge id in [260, "
                        + z + ")); the file is corrupt: train and save the tokenizer again");
            }
            byte[] ab = Arrays.copyOf(tokenBytes[a], tokenBytes[a].length + tokenBytes[b].length);
            System.arraycopy(tokenBytes[b], 0, ab, tokenBytes[a].length, tokenBytes[b].length);
            tokenBytes[z] = ab;
            if (mergeId.putIfAbsent(BpeTrainer.pair(a, b), z) != null) {
                throw new IllegalArgumentException("BpeTokenizer: " + where + ": merge " + i + " = [" + a + ", " + b
                        + "] repeats an earlier merge; the file is corrupt: train and save the tokenizer again");
            }
        }
    }

    private static boolean isText(int id, int z) {
        return (id >= 0 && id < 256) || (id >= FIRST_MERGE && id < z);
    }

    /**
     * Trains on the corpus's TRAIN split (never on held-out text) to {@code vocabSize} ids, specials
     * included; fewer if no pair occurs twice any more.
     */
    public static BpeTokenizer train(Corpus corpus, int vocabSize) {
        if (corpus == null) {
            throw new IllegalArgumentException("BpeTokenizer.train: corpus is null; pass e.g. Corpus.europarl(\"en\")");
        }
        return train(corpus.documents(Split.TRAIN), vocabSize);
    }

    /** Trains on the texts to {@code vocabSize} ids (at least 260: 256 bytes + 4 specials). */
    public static BpeTokenizer train(List<String> texts, int vocabSize) {
        if (vocabSize < FIRST_MERGE) {
            throw new IllegalArgumentException("BpeTokenizer.train: vocabSize " + vocabSize + " is smaller than the "
                    + "256 byte ids + 4 specials; pass at least " + FIRST_MERGE + " (e.g. 2048 or 4096)");
        }
        if (texts == null) {
            throw new IllegalArgumentException("BpeTokenizer.train: texts is null; pass training documents");
        }
        return new BpeTokenizer(BpeTrainer.train(texts, vocabSize - FIRST_MERGE, FIRST_MERGE), "train");
    }

    @Override
    public int vocabSize() {
        return tokenBytes.length;
    }

    /** Number of merges (vocabSize - 260). */
    public int merges() {
        return merges.length;
    }

    @Override
    public int pad() {
        return ByteTokenizer.PAD;
    }

    @Override
    public int eos() {
        return ByteTokenizer.EOS;
    }

    @Override
    public int mask() {
        return ByteTokenizer.MASK;
    }

    @Override
    public int bos() {
        return ByteTokenizer.BOS;
    }

    @Override
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("BpeTokenizer.encode: text is null; pass a string (\"\" for none)");
        }
        return encodeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Ids of arbitrary bytes (valid UTF-8 or not). */
    public int[] encodeBytes(byte[] bytes) {
        int[][] out = {new int[Math.max(16, bytes.length / 3)]};
        int[] n = {0};
        BytePieces.split(bytes, bytes.length, (s, e) -> {
            int[] ids = piece(bytes, s, e);
            if (n[0] + ids.length > out[0].length) {
                out[0] = Arrays.copyOf(out[0], Math.max(out[0].length * 2, n[0] + ids.length));
            }
            System.arraycopy(ids, 0, out[0], n[0], ids.length);
            n[0] += ids.length;
            return 0;
        });
        return Arrays.copyOf(out[0], n[0]);
    }

    private int[] piece(byte[] b, int s, int e) {
        String key = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        int[] hit = cache.get(key);
        if (hit != null) {
            return hit;
        }
        int[] sym = new int[e - s];
        for (int i = s; i < e; i++) {
            sym[i - s] = b[i] & 0xFF;
        }
        int n = mergePiece(sym, sym.length);
        int[] ids = Arrays.copyOf(sym, n);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(key, ids);
        return ids;
    }

    /** Applies merges to sym[0..n) in place by increasing merge index; returns the new length. */
    int mergePiece(int[] sym, int n) {
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int j = 0; j + 1 < n; j++) {
                Integer z = mergeId.get(BpeTrainer.pair(sym[j], sym[j + 1]));
                if (z != null && z < best) {
                    best = z;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int a = merges[best - FIRST_MERGE][0];
            int b = merges[best - FIRST_MERGE][1];
            int m = 0;
            for (int j = 0; j < n; j++) {
                if (j + 1 < n && sym[j] == a && sym[j + 1] == b) {
                    sym[m++] = best;
                    j++;
                } else {
                    sym[m++] = sym[j];
                }
            }
            n = m;
        }
        return n;
    }

    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of the ids; special ids are skipped. */
    public byte[] decodeBytes(int[] ids) {
        int total = 0;
        for (int id : ids) {
            total += byteLength(id);
        }
        byte[] out = new byte[total];
        int pos = 0;
        for (int id : ids) {
            byte[] t = tokenBytes[id];
            System.arraycopy(t, 0, out, pos, t.length);
            pos += t.length;
        }
        return out;
    }

    /** The bytes one id stands for (empty for specials). */
    public byte[] tokenBytes(int id) {
        byteLength(id);
        return tokenBytes[id].clone();
    }

    @Override
    public int byteLength(int id) {
        if (id < 0 || id >= tokenBytes.length) {
            throw new IllegalArgumentException("BpeTokenizer: id " + id + " is outside the vocabulary [0, "
                    + tokenBytes.length + "); use ids produced by this tokenizer");
        }
        return tokenBytes[id].length;
    }

    @Override
    public String name() {
        return "bpe-" + vocabSize();
    }

    @Override
    public void save(Path file) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("type", TYPE);
        json.addProperty("version", 1);
        json.addProperty("pretokenizer", "calmnest-bytepieces-v1");
        json.addProperty("vocabSize", vocabSize());
        JsonArray arr = new JsonArray(merges.length);
        for (int[] m : merges) {
            JsonArray p = new JsonArray(2);
            p.add(m[0]);
            p.add(m[1]);
            arr.add(p);
        }
        json.add("merges", arr);
        Tokenizers.writeJson(file, json);
    }

    /** Rebuilds a tokenizer from the JSON written by {@link #save(Path)}. */
    static BpeTokenizer fromJson(JsonObject json, String where) {
        try {
            JsonArray arr = json.getAsJsonArray("merges");
            if (arr == null) {
                throw new IllegalArgumentException("no \"merges\" array");
            }
            int[][] merges = new int[arr.size()][];
            for (int i = 0; i < merges.length; i++) {
                JsonArray p = arr.get(i).getAsJsonArray();
                if (p.size() != 2) {
                    throw new IllegalArgumentException("merge " + i + " has " + p.size() + " ids, not 2");
                }
                merges[i] = new int[] {p.get(0).getAsInt(), p.get(1).getAsInt()};
            }
            BpeTokenizer tok = new BpeTokenizer(Arrays.asList(merges), where);
            JsonElement v = json.get("vocabSize");
            if (v != null && v.getAsInt() != tok.vocabSize()) {
                throw new IllegalArgumentException("vocabSize " + v.getAsInt() + " does not match 260 + "
                        + merges.length + " merges");
            }
            return tok;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("BpeTokenizer:")) {
                throw e;
            }
            throw new IllegalArgumentException("BpeTokenizer: " + where + " is not a valid BPE file (" + e.getMessage()
                    + "); train and save the tokenizer again", e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("BpeTokenizer: " + where + " is not a valid BPE file (" + e
                    + "); train and save the tokenizer again", e);
        }
    }

    @Override
    public String toString() {
        return "BpeTokenizer[vocab=" + vocabSize() + ", merges=" + merges.length + ", PAD=256, EOS=257, MASK=258, BOS=259]";
    }
}
