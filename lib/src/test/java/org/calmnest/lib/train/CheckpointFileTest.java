package org.calmnest.lib.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointFileTest {

    @Test
    void roundTripsTextsAndArrays(@TempDir Path dir) {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = dir.resolve("a.ckpt");
            CheckpointFile.write(f, Map.of("config", "{\"k\":4}"), Map.of("w", m.create(new float[]{1, 2, 3})));
            CheckpointFile.Contents c = CheckpointFile.read(f, m);
            assertThat(c.texts()).containsEntry("config", "{\"k\":4}");
            assertThat(c.arrays().get("w").toFloatArray()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousCheckpointReadable(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = dir.resolve("model.ckpt");
            CheckpointFile.write(f, Map.of("v", "1"), Map.of("w", m.create(new float[]{1, 2})));
            NDArray closed = m.create(new float[]{9});
            closed.close();                                          // encoding it fails mid-write
            assertThatThrownBy(() -> CheckpointFile.write(f, Map.of("v", "2"),
                    new java.util.LinkedHashMap<>(Map.of("w", closed)))).isInstanceOf(RuntimeException.class);
            assertThat(CheckpointFile.read(f, m).texts()).containsEntry("v", "1");
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.ckpt");
            }
        }
    }

    @Test
    void truncatedTamperedAndMissingFilesAreRefusedClearly(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = dir.resolve("m.ckpt");
            CheckpointFile.write(f, Map.of("v", "1"), Map.of("w", m.create(new float[]{1, 2, 3, 4})));
            byte[] bytes = Files.readAllBytes(f);
            Path cut = dir.resolve("cut.ckpt");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
            assertThatThrownBy(() -> CheckpointFile.read(cut, m)).hasMessageContaining("truncated or corrupt");
            bytes[bytes.length / 2] ^= 1;
            Path bad = dir.resolve("bad.ckpt");
            Files.write(bad, bytes);
            assertThatThrownBy(() -> CheckpointFile.read(bad, m)).hasMessageContaining("checksum");
            assertThatThrownBy(() -> CheckpointFile.read(dir.resolve("none.ckpt"), m)).hasMessageContaining("does not exist");
            Path other = dir.resolve("other.ckpt");
            Files.writeString(other, "hello world, this is not a checkpoint at all, not at all.");
            assertThatThrownBy(() -> CheckpointFile.read(other, m)).hasMessageContaining("not a calmnest checkpoint");
        }
    }
}
