package org.calmnest.lib.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Entry point for tokenizers: {@link #bytes()}, {@link #load(Path)} for any tokenizer saved with
 * {@link Tokenizer#save(Path)}. The file is a small JSON object whose {@code "type"} names the
 * kind ({@code "bytes"}, {@code "bpe"} or {@code "hf"}). A Hugging Face {@code tokenizer.json} itself
 * is read with {@link HfTokenizer#load(Path)}.
 */
public final class Tokenizers {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private Tokenizers() {
    }

    /** A byte-level BPE trained on the corpus's TRAIN split to {@code vocabSize} ids. */
    public static BpeTokenizer bpe(Corpus corpus, int vocabSize) {
        return BpeTokenizer.train(corpus, vocabSize);
    }

    /** The byte-level tokenizer (vocabulary 260). */
    public static ByteTokenizer bytes() {
        return ByteTokenizer.create();
    }

    /** Reads a tokenizer written by {@link Tokenizer#save(Path)}. */
    public static Tokenizer load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("Tokenizers.load: file is null; pass the path a tokenizer was saved to");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Tokenizers.load: file " + file.toAbsolutePath()
                    + " does not exist or is not a regular file; pass the path a tokenizer was saved to");
        }
        JsonObject json;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new JsonParseException("top level is not a JSON object");
            }
            json = root.getAsJsonObject();
        } catch (JsonParseException | java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException("Tokenizers.load: file " + file + " is not a tokenizer JSON ("
                    + e.getMessage() + "); pass a file written by Tokenizer.save", e);
        }
        return fromJson(json, file.toString());
    }

    /** Builds a tokenizer from its JSON form; {@code where} names the source in error messages. */
    static Tokenizer fromJson(JsonObject json, String where) {
        JsonElement type = json.get("type");
        String kind = type == null || !type.isJsonPrimitive() ? null : type.getAsString();
        if (ByteTokenizer.TYPE.equals(kind)) {
            return ByteTokenizer.create();
        }
        if (BpeTokenizer.TYPE.equals(kind)) {
            return BpeTokenizer.fromJson(json, where);
        }
        if (HfTokenizer.TYPE.equals(kind)) {
            return HfTokenizer.fromJson(json, where);
        }
        throw new IllegalArgumentException("Tokenizers.load: " + where + " has type " + kind
                + "; expected \"bytes\", \"bpe\" or \"hf\" (a file written by Tokenizer.save)");
    }

    /** Writes JSON atomically: a temporary file in the same folder, then a rename. */
    static void writeJson(Path file, JsonObject json) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, GSON.toJson(json), StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
