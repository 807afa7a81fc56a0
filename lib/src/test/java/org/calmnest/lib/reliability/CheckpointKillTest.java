package org.calmnest.lib.reliability;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.CheckpointFile;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM saving checkpoints in a loop is killed with SIGKILL at random moments; after every
 * kill the checkpoint on disk must load, be the last completed save (or the one in flight, if its
 * rename had happened), and training must resume from it.
 */
class CheckpointKillTest {

    /** Kills of the format-level writer (4 MB per save, no native library: fast). */
    @Test
    void killedWhileWritingTheFileThePreviousCheckpointAlwaysLoads(@TempDir Path dir) throws Exception {
        Result r = killFileWriter(dir, 4, new Random(1));
        assertThat(r.rounds).isEqualTo(4);
    }

    @Test
    @Tag("slow")
    void thirtyKillsOfTheFileWriter(@TempDir Path dir) throws Exception {
        Result r = killFileWriter(dir, 30, new Random(2));
        System.out.println("[reliability] file writer: " + r);
        assertThat(r.rounds).isEqualTo(30);
        assertThat(r.killedMidWrite).as("some kills must land inside a write, or the test proves nothing").isPositive();
    }

    @Test
    @Tag("slow")
    void thirtyKillsOfATrainingRunThatResumesEachTime(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("checkpoint.ckpt");
        Random rnd = new Random(3);
        long previousStep = 0;
        int midWrite = 0;
        List<Path> left = List.of();
        TorchRuntime.engine();
        for (int round = 0; round < 30; round++) {
            long saved;
            try (ChildJvm child = new ChildJvm(CheckpointWriterChild.class, "trainer", dir.toString(), "1024")) {
                child.awaitSaved(previousStep + 1, 120_000);
                assertThat(left).as("the next writer's save removes the temporary files of the killed one").noneMatch(Files::exists);
                Thread.sleep(rnd.nextInt(1500));
                assertThat(child.kill9()).isEqualTo(137);
                saved = child.lastSaved();
            }
            left = tempFiles(dir);
            midWrite += left.size();
            TorchRuntime.noGrad();
            try (NDManager m = NDManager.newBaseManager();
                 Trainer t = new Trainer(new CrashModel(m, 99, 1024), TrainConfig.defaults(1).withLearningRate(1e-2).withWarmupSteps(0).withSeed(3))) {
                t.loadCheckpoint(file);
                assertThat(t.step()).as("round " + round).isBetween(saved, saved + 1).isGreaterThan(previousStep);
                previousStep = t.step();
                t.setConfig(t.config().withSteps(t.step() + 1));
                Trainer.Result more = t.run(CrashModel.data(), List.of(), null);
                assertThat(more.finalStep()).isEqualTo(previousStep + 1);
                assertThat(more.lastLoss()).isFinite();
            }
        }
        System.out.println("[reliability] trainer: 30 kills, " + midWrite + " inside a save, final step " + previousStep);
    }

    record Result(int rounds, int killedMidWrite, long lastGeneration) {
    }

    private static Result killFileWriter(Path dir, int rounds, Random rnd) throws Exception {
        Path file = dir.resolve("checkpoint.ckpt");
        int midWrite = 0;
        long lastGen = 0;
        List<Path> left = List.of();
        for (int round = 0; round < rounds; round++) {
            long saved;
            try (ChildJvm child = new ChildJvm(CheckpointWriterChild.class, "file", dir.toString())) {
                child.awaitSaved(1, 60_000);
                assertThat(left).as("the next writer's save removes the temporary files of the killed one").noneMatch(Files::exists);
                Thread.sleep(rnd.nextInt(300));
                assertThat(child.kill9()).isEqualTo(137);
                saved = child.lastSaved();
            }
            left = tempFiles(dir);
            midWrite += left.size();
            CheckpointFile.Contents c = CheckpointFile.read(file, null);   // no arrays: the manager is never used
            long g = Long.parseLong(c.texts().get("generation"));
            assertThat(g).as("round " + round).isBetween(saved, saved + 1);
            assertThat(c.texts().get("payload")).isEqualTo(CheckpointWriterChild.payload(g));
            lastGen = g;
        }
        return new Result(rounds, midWrite, lastGen);
    }

    /**
     * Temporary files a killed writer left behind (each is a kill that landed inside a save). They
     * stay until the next writer's first save, which must remove them (CheckpointFileTemps).
     */
    private static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
