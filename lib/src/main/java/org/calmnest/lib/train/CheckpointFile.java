package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A self-checking container for checkpoints and saved models: named text entries (JSON configs,
 * tokenizers) and named tensors (DJL's own NDArray encoding), followed by a SHA-256 of everything
 * before it. No Java serialisation: loading never executes code. Written atomically: a temporary
 * file in the same directory, forced to disk, then renamed over the target, so a crash during the
 * write leaves the previous file intact. Temporary files that a killed writer left behind are removed
 * on the next write or read in the same directory ({@link CheckpointFileTemps}).
 */
public final class CheckpointFile {

    private static final byte[] MAGIC = "CALMNEST-CKPT".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    /** What a file holds. Arrays are attached to the manager passed to {@link #read}. */
    public record Contents(Map<String, String> texts, Map<String, NDArray> arrays) {
    }

    private CheckpointFile() {
    }

    /** Writes texts and arrays to {@code file} atomically. */
    public static void write(Path file, Map<String, String> texts, Map<String, NDArray> arrays) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(texts.size());
            for (Map.Entry<String, String> e : texts.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.writeInt(arrays.size());
            for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
                out.writeUTF(e.getKey());
                byte[] b = e.getValue().encode();
                out.writeInt(b.length);
                out.write(b);
            }
            out.flush();
            byte[] body = bytes.toByteArray();
            byte[] digest = sha256(body, body.length);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            CheckpointFileTemps.removeStale(dir);
            Path tmp = CheckpointFileTemps.create(dir, file);
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(java.nio.ByteBuffer.wrap(body));
                    ch.write(java.nio.ByteBuffer.wrap(digest));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write checkpoint " + file + ": " + e.getMessage()
                    + " (check that the directory is writable and the disk has space)", e);
        }
    }

    /**
     * Reads a file written by {@link #write}; a missing, truncated or altered file is refused.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Contents read(Path file, NDManager manager) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist: check the path, or train and save a model first");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read checkpoint " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            CheckpointFileTemps.removeStale(dir);
        }
        if (all.length < MAGIC.length + 36 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("checkpoint " + file + " is not a calmnest checkpoint (wrong header): "
                    + "pass a file written by save()/saveCheckpoint()");
        }
        int bodyLength = all.length - 32;
        byte[] expected = Arrays.copyOfRange(all, bodyLength, all.length);
        if (!MessageDigest.isEqual(expected, sha256(all, bodyLength))) {
            throw new IllegalArgumentException("checkpoint " + file + " is truncated or corrupt (checksum mismatch, "
                    + all.length + " bytes): use an earlier checkpoint or save the model again");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, bodyLength))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("checkpoint " + file + " has format version " + version
                        + ", this build reads version " + VERSION + ": save it again with this version");
            }
            Map<String, String> texts = new LinkedHashMap<>();
            int nt = in.readInt();
            for (int i = 0; i < nt; i++) {
                String k = in.readUTF();
                texts.put(k, new String(block(in, file, k), StandardCharsets.UTF_8));
            }
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            int na = in.readInt();
            for (int i = 0; i < na; i++) {
                String k = in.readUTF();
                byte[] b = block(in, file, k);
                try {
                    arrays.put(k, manager.decode(b));
                } catch (RuntimeException e) {          // DJL's decoder on bytes that are not an NDArray
                    arrays.values().forEach(NDArray::close);
                    throw new IllegalArgumentException("checkpoint " + file + " has a malformed tensor '" + k + "' ("
                            + e.getMessage() + "): use an earlier checkpoint or save the model again", e);
                }
            }
            return new Contents(texts, arrays);
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is truncated: use an earlier checkpoint");
        } catch (IOException e) {
            throw new UncheckedIOException("could not parse checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** A length-prefixed block; a length outside what remains of the file is refused, not trusted. */
    private static byte[] block(DataInputStream in, Path file, String key) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("checkpoint " + file + " is malformed (entry '" + key + "' claims " + n
                    + " bytes, " + in.available() + " remain): use an earlier checkpoint or save the model again");
        }
        return in.readNBytes(n);
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // some file systems cannot sync directories; the rename is still atomic
        }
    }
}
