package org.calmnest.kernel.eval;

/**
 * The stop flag that instrumented notebook code polls. {@link StopCheckInstrumenter} inserts a
 * call to {@link #check()} at every method entry and before every backward branch of snippet
 * classes, so a busy loop such as {@code while (true) {}} ends within one iteration after an
 * interrupt. The JDK's own local JShell execution control uses the same idea.
 */
public final class StopCheck {

    private static volatile boolean stopRequested;

    private StopCheck() {
    }

    /** Called from instrumented snippet code: throws when the running cell was interrupted. */
    public static void check() {
        if (stopRequested) {
            throw new CellStoppedError();
        }
    }

    static void request() {
        stopRequested = true;
    }

    static void clear() {
        stopRequested = false;
    }

    static boolean isRequested() {
        return stopRequested;
    }

    /**
     * Thrown into interrupted notebook code. An {@link Error}, so the usual
     * {@code catch (Exception e)} in user code does not swallow it; even a {@code catch (Throwable)}
     * only delays it to the next loop iteration, because the flag stays set until the cell ends.
     */
    public static final class CellStoppedError extends Error {
        CellStoppedError() {
            super("cell interrupted", null, false, false);
        }
    }
}
