package org.calmnest.kernel.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Cells run on fresh threads: an in-place update of a parameter must work there, as on the main thread. */
class CellThreadsTest {

    @Test
    void aPreparedCellThreadUpdatesParametersInPlace() throws InterruptedException {
        TorchRuntime.engine().newBaseManager().close(); // the engine is loaded on this thread, not the cell's
        assertThat(inPlaceUpdateOnFreshThread(false)).as("without prepare (shows the test can fail)")
                .contains("in-place operation");
        assertThat(inPlaceUpdateOnFreshThread(true)).as("with prepare").isNull();
    }

    private static String inPlaceUpdateOnFreshThread(boolean prepare) throws InterruptedException {
        AtomicReference<String> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            if (prepare) {
                CellThreads.prepare();
            }
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                NDArray w = m.ones(new ai.djl.ndarray.types.Shape(2, 2));
                w.setRequiresGradient(true);
                w.muli(0.5f); // what an optimiser step or a zero-initialisation does
            } catch (RuntimeException e) {
                error.set(String.valueOf(e.getMessage()));
            }
        }, "cell-like");
        t.start();
        t.join();
        return error.get();
    }
}
