package org.calmnest.lib.reliability;

import org.calmnest.lib.train.CheckpointFile;
import org.calmnest.lib.train.CheckpointFileTemps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Temporary files of killed checkpoint writers are removed on the next save or load in their
 * directory, and nothing else is: not a live writer's file, not a file written after this JVM
 * started, not a file of another pattern.
 */
class CheckpointStaleTempTest {

    private static final Instant JVM_START = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    @Test
    void aSaveRemovesTheTempFilesOfDeadWritersAndNothingElse(@TempDir Path dir) throws Exception {
        long dead = deadPid();
        Path ckpt = dir.resolve("model.ckpt");
        Path staleDead = temp(dir, ".model.ckpt." + dead + "-4711.tmp", JVM_START.minus(Duration.ofHours(1)));
        Path staleOwnPid = temp(dir, ".model.ckpt." + ProcessHandle.current().pid() + "-1.tmp", JVM_START.minusSeconds(60));
        Path staleLegacy = temp(dir, ".model.ckpt.8765432101234.tmp", JVM_START.minus(Duration.ofHours(2)));
        Path otherTarget = temp(dir, ".other.ckpt." + dead + "-9.tmp", JVM_START.minus(Duration.ofHours(1)));
        // kept: written after this JVM started (a writer that may still be running), a legacy
        // file younger than LEGACY_MIN_AGE, files that are not ours
        Path recentDead = temp(dir, ".model.ckpt." + dead + "-4712.tmp", Instant.now());
        Path recentLegacy = temp(dir, ".model.ckpt.1234.tmp", Instant.now().minusSeconds(30));
        Path userTmp = temp(dir, "notes.tmp", JVM_START.minus(Duration.ofDays(3)));
        Path userHidden = temp(dir, ".model.ckpt.backup", JVM_START.minus(Duration.ofDays(3)));
        Path userDigits = temp(dir, ".model.ckpt.12-ab.tmp", JVM_START.minus(Duration.ofDays(3)));

        CheckpointFile.write(ckpt, Map.of("k", "v"), Map.of());

        assertThat(staleDead).doesNotExist();
        assertThat(staleOwnPid).doesNotExist();
        assertThat(staleLegacy).doesNotExist();
        assertThat(otherTarget).as("any checkpoint's temp files in the directory").doesNotExist();
        assertThat(recentDead).exists();
        assertThat(recentLegacy).exists();
        assertThat(userTmp).exists();
        assertThat(userHidden).exists();
        assertThat(userDigits).exists();
        assertThat(CheckpointFile.read(ckpt, null).texts()).containsEntry("k", "v");
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count())
                    .as("the writer's own temporary file is gone after the rename").isEqualTo(4);
        }
    }

    @Test
    void aLoadRemovesThemToo(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("model.ckpt");
        CheckpointFile.write(ckpt, Map.of("k", "v"), Map.of());
        Path stale = temp(dir, ".model.ckpt." + deadPid() + "-77.tmp", JVM_START.minus(Duration.ofHours(1)));
        assertThat(CheckpointFile.read(ckpt, null).texts()).containsEntry("k", "v");
        assertThat(stale).doesNotExist();
    }

    @Test
    void aLiveWritersFileIsKeptAReusedPidsIsNot(@TempDir Path dir) throws Exception {
        // a process that started before this JVM and still runs: our parent (Maven), else init
        ProcessHandle live = ProcessHandle.current().parent().filter(p -> p.info().startInstant().isPresent())
                .orElse(ProcessHandle.of(1).orElseThrow());
        Instant liveStart = live.info().startInstant().orElseThrow();
        Instant beforeUs = JVM_START.minusSeconds(1).isAfter(liveStart) ? JVM_START.minusSeconds(1) : liveStart;
        Path writing = temp(dir, ".model.ckpt." + live.pid() + "-5.tmp", beforeUs);
        Path reused = temp(dir, ".model.ckpt." + live.pid() + "-6.tmp", liveStart.minus(Duration.ofHours(1)));
        assertThat(CheckpointFileTemps.removeStale(dir)).isEqualTo(1);
        assertThat(writing).as("its writer runs and started before the file was written").exists();
        assertThat(reused).as("written an hour before that pid's process started: its writer is gone").doesNotExist();
    }

    @Test
    void aMissingDirectoryIsNotAnError(@TempDir Path dir) {
        assertThat(CheckpointFileTemps.removeStale(dir.resolve("absent"))).isZero();
    }

    private static Path temp(Path dir, String name, Instant modified) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "partial checkpoint");
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        return pid;
    }
}
