package org.calmnest.lib.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's {@code ai.djl.huggingface:tokenizers} (the Rust
 * library ships inside the jar, so it works offline). Ids 0..V-1 are the file's ids; PAD, EOS, MASK
 * and BOS are appended as V..V+3, so they never collide with the file's own tokens.
 *
 * <p>Round trip: exact for byte-level tokenizers (GPT-2 style ByteLevel pre-tokenizer and decoder);
 * tokenizers with normalisers (lower-casing, NFKC) or WordPiece lose information by design, so
 * {@code decode(encode(s))} can differ from s for them. {@link #save(Path)} embeds the whole
 * tokenizer.json, so {@link Tokenizers#load(Path)} restores it. Holds a native handle: close it
 * when done (the JVM frees it at exit otherwise).
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {

    static final String TYPE = "hf";

    private final String json;
    private final int base;
    private final HuggingFaceTokenizer hf;

    private HfTokenizer(String json, String where) {
        this.json = json;
        this.base = vocabularyOf(json, where);
        try {
            this.hf = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("HfTokenizer: " + where + " cannot be loaded by the Hugging Face tokenizers "
                    + "library (" + e.getMessage() + "); pass a tokenizer.json saved by tokenizers >= 0.13", e);
        }
    }

    /** Loads a Hugging Face {@code tokenizer.json}. */
    public static HfTokenizer load(Path tokenizerJson) throws IOException {
        if (tokenizerJson == null || !Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("HfTokenizer.load: file " + (tokenizerJson == null ? "null" : tokenizerJson.toAbsolutePath())
                    + " does not exist or is not a regular file; pass the path of a tokenizer.json");
        }
        return new HfTokenizer(Files.readString(tokenizerJson, StandardCharsets.UTF_8), tokenizerJson.toString());
    }

    /** Ids in the file: 1 + the largest id of the model vocabulary and the added tokens. */
    private static int vocabularyOf(String json, String where) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            int max = -1;
            JsonObject model = root.getAsJsonObject("model");
            JsonElement vocab = model == null ? null : model.get("vocab");
            if (vocab != null && vocab.isJsonObject()) {
                for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                    max = Math.max(max, e.getValue().getAsInt());
                }
            } else if (vocab != null && vocab.isJsonArray()) {
                max = vocab.getAsJsonArray().size() - 1; // Unigram: [[piece, score], ...]
            }
            JsonElement added = root.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement t : added.getAsJsonArray()) {
                    max = Math.max(max, t.getAsJsonObject().get("id").getAsInt());
                }
            }
            if (max < 0) {
                throw new IllegalArgumentException("no model.vocab");
            }
            return max + 1;
        } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("HfTokenizer: " + where + " is not a Hugging Face tokenizer.json ("
                    + e.getMessage() + "); pass the tokenizer.json of a Hugging Face model", e);
        }
    }

    static HfTokenizer fromJson(JsonObject saved, String where) {
        JsonElement j = saved.get("tokenizerJson");
        if (j == null || !j.isJsonPrimitive()) {
            throw new IllegalArgumentException("HfTokenizer: " + where + " has no \"tokenizerJson\" string; "
                    + "save the tokenizer again with HfTokenizer.save");
        }
        return new HfTokenizer(j.getAsString(), where);
    }

    @Override
    public int vocabSize() {
        return base + 4;
    }

    @Override
    public int pad() {
        return base;
    }

    @Override
    public int eos() {
        return base + 1;
    }

    @Override
    public int mask() {
        return base + 2;
    }

    @Override
    public int bos() {
        return base + 3;
    }

    @Override
    public int[] encode(String text) {
        if (text == null) {
            throw new IllegalArgumentException("HfTokenizer.encode: text is null; pass a string (\"\" for none)");
        }
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] keep = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("HfTokenizer.decode: id " + id + " is outside the vocabulary [0, "
                        + vocabSize() + "); decode ids produced by this tokenizer");
            }
            if (id < base) {
                keep[n++] = id;
            }
        }
        return hf.decode(java.util.Arrays.copyOf(keep, n), false);
    }

    @Override
    public String name() {
        return "hf-" + vocabSize();
    }

    @Override
    public void save(Path file) throws IOException {
        JsonObject out = new JsonObject();
        out.addProperty("type", TYPE);
        out.addProperty("version", 1);
        out.addProperty("tokenizerJson", json);
        Tokenizers.writeJson(file, out);
    }

    @Override
    public void close() {
        hf.close();
    }

    @Override
    public String toString() {
        return "HfTokenizer[vocab=" + vocabSize() + " (" + base + " from tokenizer.json + PAD, EOS, MASK, BOS)]";
    }
}
