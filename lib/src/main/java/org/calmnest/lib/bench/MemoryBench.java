package org.calmnest.lib.bench;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.data.ByteTokenizer;
import ai.djl.ndarray.NDManager;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

/**
 * Leak check of the whole training path: a tiny Transformer trained through {@link Trainer}; the
 * resident and native memory after {@code early} steps must equal (within noise) the memory after
 * {@code late} steps. A leaked NDArray per step (a few KiB of native memory for this model)
 * would add up to megabytes over the steps in between.
 */
public final class MemoryBench {

    /**
     * @param early      steps of the first reading
     * @param late       steps of the second reading
     * @param atEarly    memory after {@code early} steps
     * @param atLate     memory after {@code late} steps
     * @param perStepKib growth of native memory per step between the readings, KiB
     * @param arraysEarly NDArrays alive in all of DJL's managers after {@code early} steps
     * @param arraysLate  the same after {@code late} steps (must be equal: an exact leak check)
     */
    public record Result(int early, int late, ProcessMemory.Snapshot atEarly, ProcessMemory.Snapshot atLate,
                         double perStepKib, int arraysEarly, int arraysLate) {
        /** RSS after {@code late} steps / RSS after {@code early} steps. */
        public double rssRatio() {
            return (double) atLate.rss() / atEarly.rss();
        }
    }

    private MemoryBench() {
    }

    /** Trains the tiny model for {@code early}, then up to {@code late} steps, reading memory at both. */
    public static Result measure(int early, int late, Device device) {
        return measure(BackboneConfig.tiny(), 4, early, late, device);
    }

    /** The same with any backbone shape and batch rows (rows of context + 1 byte ids). */
    public static Result measure(BackboneConfig tiny, int rows, int early, int late, Device device) {
        if (early < 1 || late <= early) {
            throw new IllegalArgumentException("MemoryBench: early = " + early + ", late = " + late
                    + "; use 1 <= early < late, e.g. 100 and 1000");
        }
        TokenLmConfig c = new TokenLmConfig(ByteTokenizer.VOCAB_SIZE, -1, ByteTokenizer.EOS, tiny);
        SyntheticBatches data = new SyntheticBatches(256, rows, tiny.context() + 1, 8, BenchModels.SEED);
        try (TokenLm model = TokenLm.create(c, BenchModels.SEED, device);
             Trainer trainer = new Trainer(model, TrainConfig.defaults(early))) {
            trainer.run(data, null, null);
            ProcessMemory.Snapshot a = ProcessMemory.read();
            int arraysA = liveArrays();
            trainer.setConfig(trainer.config().withSteps(late));
            trainer.run(data, null, null);
            ProcessMemory.Snapshot b = ProcessMemory.read();
            int arraysB = liveArrays();
            double perStep = (b.nativeEstimate() - a.nativeEstimate()) / 1024.0 / (late - early);
            return new Result(early, late, a, b, perStep, arraysA, arraysB);
        }
    }

    /** NDArrays alive in every manager of the engine (the root manager's tree, counted recursively). */
    public static int liveArrays() {
        try (NDManager probe = TorchRuntime.engine().newBaseManager()) {
            NDManager root = probe.getParentManager();
            return root.getManagedArrays().size();
        }
    }

    /** Runs and writes the section. */
    public static Result run(BenchOptions o, Device device, Report.Section s) {
        int early = o.quick() ? 20 : 100;
        int late = o.quick() ? 200 : 1000;
        Result r = measure(early, late, device);
        s.columns("after steps", "RSS MiB", "native MiB (RSS − JVM committed)", "JVM heap used MiB", "live NDArrays");
        s.row(r.early(), ProcessMemory.mib(r.atEarly().rss()), ProcessMemory.mib(r.atEarly().nativeEstimate()),
                ProcessMemory.mib(r.atEarly().heapUsed()), r.arraysEarly());
        s.row(r.late(), ProcessMemory.mib(r.atLate().rss()), ProcessMemory.mib(r.atLate().nativeEstimate()),
                ProcessMemory.mib(r.atLate().heapUsed()), r.arraysLate());
        s.note(String.format("Tiny Transformer (d = 64, 2 layers, batch 4 x 65 bytes) trained through Trainer. "
                        + "RSS after %d steps ÷ after %d steps = **%.3f**; native growth %.2f KiB per step. Live NDArrays in "
                        + "all DJL managers: %d after %d steps, %d after %d steps (%s). RSS also moves with the JIT compiler's "
                        + "and malloc's own arenas, so the array count is the exact leak check and RSS the coarse one.",
                r.late(), r.early(), r.rssRatio(), r.perStepKib(), r.arraysEarly(), r.early(), r.arraysLate(), r.late(),
                r.arraysLate() == r.arraysEarly() ? "equal: nothing accumulates per step"
                        : "GROWTH: an NDArray per step is attached to a long-lived manager"));
        System.out.printf("  memory: RSS %s MiB after %d steps, %s MiB after %d steps (ratio %.3f)%n",
                ProcessMemory.mib(r.atEarly().rss()), r.early(), ProcessMemory.mib(r.atLate().rss()), r.late(), r.rssRatio());
        return r;
    }
}
