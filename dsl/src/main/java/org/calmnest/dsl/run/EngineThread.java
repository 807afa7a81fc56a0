package org.calmnest.dsl.run;

import org.calmnest.lib.runtime.TorchRuntime;

/**
 * PyTorch's gradient mode is per thread and on by default; DJL turns it off only on the thread
 * that starts the engine. JShell, the kernel and scripts run snippets on other threads, where the
 * optimiser's in-place updates of parameters would then fail ("a leaf Variable that requires grad
 * is being used in an in-place operation"). Every DSL entry point that computes calls
 * {@link #prepare()} first.
 */
public final class EngineThread {

    private EngineThread() {
    }

    /** Starts the engine if needed and turns gradient recording off on the calling thread. */
    public static void prepare() {
        TorchRuntime.noGrad();
    }
}
