package org.calmnest.lib.train;

/**
 * Cooperative cancellation: the training loop checks it once per optimiser step, so cancelling
 * stops the run within one step and leaves model and optimiser state consistent.
 */
public final class CancellationToken {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Clears the flag so the token can guard the next run. */
    public void reset() {
        cancelled = false;
    }
}
