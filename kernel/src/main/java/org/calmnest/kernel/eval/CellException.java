package org.calmnest.kernel.eval;

import java.util.List;

/**
 * A cell that did not complete: a compile error, an exception thrown by notebook code, or an
 * interrupt. Carries the Jupyter error triple: a name, a one-line value, and the traceback lines
 * the frontend shows (they may contain ANSI colour codes).
 */
public class CellException extends Exception {

    private final String errorName;
    private final List<String> traceback;

    public CellException(String errorName, String message, List<String> traceback, Throwable cause) {
        super(message, cause);
        this.errorName = errorName;
        this.traceback = List.copyOf(traceback);
    }

    /** {@code ename} of the Jupyter error message. */
    public String errorName() {
        return errorName;
    }

    /** {@code traceback} of the Jupyter error message, one entry per line. */
    public List<String> traceback() {
        return traceback;
    }
}
