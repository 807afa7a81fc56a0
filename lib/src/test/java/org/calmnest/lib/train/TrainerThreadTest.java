package org.calmnest.lib.train;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PyTorch's grad mode is per thread and on by default in every thread but the one that loaded the
 * engine. The notebook kernel runs each cell on a fresh thread, so training must not depend on the
 * calling thread's grad mode (in-place optimiser updates on leaves fail while it is on).
 */
class TrainerThreadTest {

    @Test
    void trainingWorksOnAFreshThread() throws InterruptedException {
        org.calmnest.lib.runtime.TorchRuntime.engine().newBaseManager().close(); // engine loaded on this thread
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Double> lastLoss = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                TinyClassifier model = new TinyClassifier(m, 1, 1);
                TrainConfig config = TrainConfig.defaults(5).withLearningRate(0.05).withWarmupSteps(1).withSeed(3);
                try (Trainer trainer = new Trainer(model, config)) {
                    lastLoss.set(trainer.run(TinyClassifier.data(), List.of(), null).lastLoss());
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "fresh-training-thread");
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
        assertThat(lastLoss.get()).isFinite();
    }
}
