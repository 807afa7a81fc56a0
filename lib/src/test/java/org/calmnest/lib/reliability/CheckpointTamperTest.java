package org.calmnest.lib.reliability;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.CheckpointFile;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Damaged checkpoints are refused with an IllegalArgumentException naming the file: every
 * truncation length tried, random byte flips, and files forged with a correct checksum but
 * hostile contents (negative or huge lengths, garbage tensors) — never an NPE, an internal error
 * or a native crash.
 */
class CheckpointTamperTest {

    private static byte[] good;

    @BeforeAll
    static void saveOne(@TempDir Path dir) throws IOException {
        TorchRuntime.engine();
        TorchRuntime.noGrad();
        Path f = dir.resolve("good.ckpt");
        try (NDManager m = NDManager.newBaseManager();
             Trainer t = new Trainer(new CrashModel(m, 1, 32), config())) {
            t.run(CrashModel.data(), List.of(), null);
            t.saveCheckpoint(f);
        }
        good = Files.readAllBytes(f);
    }

    private static TrainConfig config() {
        return TrainConfig.defaults(3).withLearningRate(1e-2).withWarmupSteps(0).withSeed(3);
    }

    @Test
    void everyTruncationIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cut.ckpt");
        int tried = 0;
        for (int len = 0; len < good.length; len += Math.max(1, good.length / 150)) {
            Files.write(f, Arrays.copyOf(good, len));
            assertRefused(f);
            tried++;
        }
        assertThat(tried).isGreaterThan(140);
    }

    @Test
    void randomByteFlipsAreRefused(@TempDir Path dir) throws IOException {
        Random r = new Random(4);
        Path f = dir.resolve("flip.ckpt");
        for (int i = 0; i < 150; i++) {
            byte[] b = good.clone();
            int at = r.nextInt(b.length);
            b[at] ^= (byte) (1 + r.nextInt(255));
            Files.write(f, b);
            assertRefused(f);
        }
    }

    @Test
    void forgedFilesWithACorrectChecksumButHostileContentsAreRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("forged.ckpt");
        // negative text length
        Files.write(f, forge(out -> { out.writeInt(1); out.writeUTF("k"); out.writeInt(-5); }));
        assertRefused(f);
        // a length far beyond the file
        Files.write(f, forge(out -> { out.writeInt(1); out.writeUTF("k"); out.writeInt(Integer.MAX_VALUE); }));
        assertRefused(f);
        // a huge entry count
        Files.write(f, forge(out -> out.writeInt(Integer.MAX_VALUE)));
        assertRefused(f);
        // an array entry whose bytes are random garbage
        Random r = new Random(5);
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            Files.write(f, forge(out -> { out.writeInt(0); out.writeInt(1); out.writeUTF("param/x"); out.writeInt(junk.length); out.write(junk); }));
            assertRefused(f);
        }
        // a well-formed file that lacks the trainer's entries
        Files.write(f, forge(out -> { out.writeInt(1); out.writeUTF("model.config"); byte[] c = new CrashModelConfig().json.getBytes(StandardCharsets.UTF_8); out.writeInt(c.length); out.write(c); out.writeInt(0); }));
        Throwable t = loadIntoTrainer(f);
        assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(f.toString());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingBothConfigurations(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("other.ckpt"), good);
        try (NDManager m = NDManager.newBaseManager();
             Trainer t = new Trainer(new CrashModel(m, 1, 48), config())) {
            assertThatThrownBy(() -> t.loadCheckpoint(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"hidden\":32").hasMessageContaining("\"hidden\":48");
        }
    }

    /** The configuration JSON of the saved model, to forge a file the trainer accepts at first sight. */
    private static final class CrashModelConfig {
        final String json = "{\"V\":" + CrashModel.V + ",\"hidden\":32}";
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Magic + version 1 + the body + a correct SHA-256: only the contents are hostile. */
    private static byte[] forge(Body body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("CALMNEST-CKPT".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        body.write(out);
        out.write(new byte[40]);                            // padding: past the minimum length check
        out.flush();
        byte[] b = bytes.toByteArray();
        byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
        byte[] all = Arrays.copyOf(b, b.length + d.length);
        System.arraycopy(d, 0, all, b.length, d.length);
        return all;
    }

    private static void assertRefused(Path f) {
        try (NDManager m = NDManager.newBaseManager()) {
            Throwable t = catchThrowable(() -> CheckpointFile.read(f, m));
            assertThat(t).as("reading " + f).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(f.toString());
        }
        assertThat(loadIntoTrainer(f)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Throwable loadIntoTrainer(Path f) {
        try (NDManager m = NDManager.newBaseManager();
             Trainer t = new Trainer(new CrashModel(m, 1, 32), config())) {
            return catchThrowable(() -> t.loadCheckpoint(f));
        }
    }
}
