package org.calmnest.kernel.eval;

import org.calmnest.lib.runtime.TorchRuntime;

/**
 * Gives every cell thread the PyTorch state of the thread that loaded the engine. PyTorch's grad
 * mode is per thread: the engine switches it off on the loading thread only, and it is on in every
 * other new thread. Cells run on fresh threads, so without this, in-place updates of parameters
 * (optimiser steps, zero-initialised layers) fail with "a leaf Variable that requires grad is being
 * used in an in-place operation", and plain forward passes record autograd graphs.
 */
final class CellThreads {

    private CellThreads() {
    }

    /** Loads the engine if needed and switches grad mode off on the calling thread. */
    static void prepare() {
        TorchRuntime.noGrad();
    }
}
