package org.calmnest.dsl.display;

import org.calmnest.lib.train.CancellationToken;

/**
 * State shared between the DSL and whoever runs it (kernel, JShell, script): the cancellation
 * token that an interrupt cancels. DSL training checks it every step, so an interrupt stops
 * training within one step and the partly trained model stays usable.
 */
public final class Session {

    private static final CancellationToken TOKEN = new CancellationToken();

    private Session() {
    }

    /** The token DSL training runs check. */
    public static CancellationToken cancellation() {
        return TOKEN;
    }

    /** Called by the kernel on interrupt_request (and by Ctrl-C handlers). */
    public static void interrupt() {
        TOKEN.cancel();
    }

    /** Called by the kernel before each cell so an old interrupt does not stop the next run. */
    public static void beginCell() {
        TOKEN.reset();
    }
}
