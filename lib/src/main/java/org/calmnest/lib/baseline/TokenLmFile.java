package org.calmnest.lib.baseline;

import ai.djl.MalformedModelException;
import com.google.gson.Gson;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The single-file format of a {@link TokenLm}: header "calmnest-tokenlm", version, config JSON,
 * the tokenizer's own saved form (0 bytes when none), then DJL's parameter stream. Written to a
 * temporary file in the same directory and renamed, so a crash never leaves half a model.
 */
final class TokenLmFile {

    private static final String MAGIC = "calmnest-tokenlm";
    private static final int VERSION = 1;
    private static final Gson GSON = new Gson();

    private TokenLmFile() {
    }

    static void save(TokenLm lm, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                    out.writeUTF(MAGIC);
                    out.writeInt(VERSION);
                    out.writeUTF(lm.configJson());
                    byte[] tok = tokenizerBytes(lm.tokenizer(), dir);
                    out.writeInt(tok.length);
                    out.write(tok);
                    lm.net().saveParameters(out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("TokenLm.save(" + file + ") failed: " + e.getMessage(), e);
        }
    }

    private static byte[] tokenizerBytes(Tokenizer tokenizer, Path dir) throws IOException {
        if (tokenizer == null) {
            return new byte[0];
        }
        Path tmp = Files.createTempFile(dir, "tokenizer", ".tmp");
        try {
            tokenizer.save(tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static TokenLm load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TokenLm.load: " + file + " is not a file; pass a path written by TokenLm.save");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            String magic = in.readUTF();
            if (!MAGIC.equals(magic)) {
                throw new IllegalArgumentException("TokenLm.load: " + file + " is not a TokenLm file (header \"" + magic
                        + "\"); pass a path written by TokenLm.save");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("TokenLm.load: " + file + " has format version " + version
                        + " but this build reads " + VERSION + "; save it again with this version");
            }
            TokenLmConfig cfg = GSON.fromJson(in.readUTF(), TokenLmConfig.class);
            byte[] tok = new byte[in.readInt()];
            in.readFully(tok);
            TokenLm lm = TokenLm.create(cfg, 0);
            try {
                if (tok.length > 0) {
                    Tokenizer t = readTokenizer(tok);
                    if (t.vocabSize() != cfg.vocabSize()) {
                        throw new IllegalArgumentException("TokenLm.load: " + file + " holds a tokenizer of " + t.vocabSize()
                                + " ids for a model of " + cfg.vocabSize() + "; the file is inconsistent, save the model again");
                    }
                    lm.setTokenizer(t);
                }
                lm.net().loadParameters(lm.manager(), in);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                lm.close();
                throw e;
            }
            return lm;
        } catch (IOException | MalformedModelException e) {
            throw new IllegalArgumentException("TokenLm.load: " + file + " could not be read (" + e.getMessage()
                    + "); pass a file written by TokenLm.save", e);
        }
    }

    private static Tokenizer readTokenizer(byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile("tokenlm-tokenizer", ".json");
        try {
            Files.write(tmp, bytes);
            return Tokenizers.load(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
