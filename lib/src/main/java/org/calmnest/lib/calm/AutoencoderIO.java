package org.calmnest.lib.calm;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * The one-file format of a saved autoencoder (no Java serialisation):
 * <pre>
 *   8 bytes  "CALMAE01"
 *   int      n, then n bytes of UTF-8 JSON: {"format", "config": {...}, "tokenizer": {"name", "vocabSize", "file"}}
 *   ...      the network's parameters in DJL's own format (Block.saveParameters)
 * </pre>
 * Written to a temporary file in the target folder and renamed, so a crash never leaves half a file.
 */
final class AutoencoderIO {

    private static final byte[] MAGIC = "CALMAE01".getBytes(StandardCharsets.US_ASCII);
    private static final String FORMAT = "calmnest-chunk-autoencoder";

    private AutoencoderIO() {
    }

    static String headerJson(ChunkAutoencoder ae) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.add("config", JsonParser.parseString(ae.config().toJson()));
        JsonObject tok = new JsonObject();
        tok.addProperty("name", ae.tokenizer().name());
        tok.addProperty("vocabSize", ae.tokenizer().vocabSize());
        root.add("tokenizer", tok);
        return root.toString();
    }

    static void save(ChunkAutoencoder ae, Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("ChunkAutoencoder.save: file is null; pass a path such as Path.of(\"ae.bin\")");
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        JsonObject header = JsonParser.parseString(headerJson(ae)).getAsJsonObject();
        header.getAsJsonObject("tokenizer").addProperty("file", tokenizerFile(ae.tokenizer(), dir));
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.write(MAGIC);
                out.writeInt(json.length);
                out.write(json);
                ae.net().saveParameters(out);
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @param tokenizer null to rebuild the stored one; @param expectedK 0 for no check */
    static ChunkAutoencoder load(Path file, Tokenizer tokenizer, int expectedK) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ChunkAutoencoder.load: file " + (file == null ? "null" : file.toAbsolutePath())
                    + " does not exist or is not a regular file; pass a path written by ChunkAutoencoder.save");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("ChunkAutoencoder.load: " + file + " is not a saved autoencoder (bad magic); "
                        + "pass a file written by ChunkAutoencoder.save");
            }
            int n = in.readInt();
            if (n < 2 || n > (64 << 20)) {
                throw new IllegalArgumentException("ChunkAutoencoder.load: " + file + " has a header of " + n
                        + " bytes; the file is damaged, save the autoencoder again");
            }
            byte[] json = new byte[n];
            in.readFully(json);
            JsonObject header = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
            AutoencoderConfig config = AutoencoderConfig.fromJson(header.get("config").toString());
            JsonObject tok = header.getAsJsonObject("tokenizer");
            String name = tok.get("name").getAsString();
            int vocab = tok.get("vocabSize").getAsInt();
            Tokenizer t = tokenizer != null ? tokenizer : rebuildTokenizer(tok.get("file").getAsString());
            if (t.vocabSize() != vocab || !t.name().equals(name)) {
                throw new IllegalArgumentException("ChunkAutoencoder.load: " + file + " was trained with tokenizer \""
                        + name + "\" (vocabulary " + vocab + ") but the tokenizer passed is \"" + t.name()
                        + "\" (vocabulary " + t.vocabSize() + "); pass the tokenizer it was trained with, or call load(file) to use the stored one");
            }
            if (expectedK > 0 && expectedK != config.chunkSize()) {
                throw new IllegalArgumentException("ChunkAutoencoder.load: " + file + " encodes chunks of K = "
                        + config.chunkSize() + " but K = " + expectedK + " was expected; use chunk size "
                        + config.chunkSize() + " or train an autoencoder with K = " + expectedK);
            }
            return ChunkAutoencoder.restore(config, t, in);
        } catch (com.google.gson.JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException("ChunkAutoencoder.load: " + file + " has an unreadable header (" + e.getMessage()
                    + "); pass a file written by ChunkAutoencoder.save", e);
        }
    }

    private static String tokenizerFile(Tokenizer tokenizer, Path dir) throws IOException {
        Path tmp = Files.createTempFile(dir, "tokenizer", ".json");
        try {
            tokenizer.save(tmp);
            return Files.readString(tmp, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Tokenizer rebuildTokenizer(String json) throws IOException {
        Path tmp = Files.createTempFile("calmnest-tokenizer", ".json");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            return Tokenizers.load(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
