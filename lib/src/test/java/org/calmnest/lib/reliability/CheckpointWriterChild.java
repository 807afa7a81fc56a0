package org.calmnest.lib.reliability;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.CheckpointFile;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link CheckpointKillTest}: saves checkpoints in an endless loop and prints
 * {@code saved N} after each completed save, until the parent kills it with SIGKILL.
 * <ul>
 *   <li>{@code file DIR}: {@link CheckpointFile} with a 4 MB text whose content is derived from the
 *   generation N (no native library needed: the JVM starts in a fraction of a second);</li>
 *   <li>{@code trainer DIR HIDDEN}: a real {@link Trainer} step, then {@code saveCheckpoint}.</li>
 * </ul>
 */
public final class CheckpointWriterChild {

    private CheckpointWriterChild() {
    }

    /** The payload of generation {@code g}; the parent recomputes it to check a loaded file. */
    static String payload(long g) {
        String unit = "generation " + g + ";";
        return unit.repeat((4 << 20) / unit.length());
    }

    public static void main(String[] args) {
        Path file = Path.of(args[1]).resolve("checkpoint.ckpt");
        if (args[0].equals("file")) {
            for (long g = 1; ; g++) {
                Map<String, String> texts = new LinkedHashMap<>();
                texts.put("generation", Long.toString(g));
                texts.put("payload", payload(g));
                CheckpointFile.write(file, texts, Map.of());
                System.out.println("saved " + g);
                System.out.flush();
            }
        }
        TorchRuntime.engine();
        TorchRuntime.noGrad();
        int hidden = Integer.parseInt(args[2]);
        try (NDManager m = NDManager.newBaseManager()) {
            CrashModel model = new CrashModel(m, 5, hidden);
            TrainConfig c = TrainConfig.defaults(1).withLearningRate(1e-2).withWarmupSteps(0).withSeed(3);
            try (Trainer t = new Trainer(model, c)) {
                if (file.toFile().exists()) {
                    t.loadCheckpoint(file);     // each child resumes where the last one was killed
                }
                for (long s = t.step() + 1; ; s++) {
                    t.setConfig(c.withSteps(s));
                    t.run(CrashModel.data(), List.of(), null);
                    t.saveCheckpoint(file);
                    System.out.println("saved " + t.step());
                    System.out.flush();
                }
            }
        }
    }
}
