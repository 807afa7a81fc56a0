package org.calmnest.dsl.display;

/**
 * Where displays go. The Jupyter kernel installs one that sends {@code display_data} and
 * {@code update_display_data}; scripts and JShell use {@link Displays#TERMINAL}.
 */
public interface DisplaySink {

    /** Shows a value as a new output and returns its display id (for later updates). */
    String display(Object value);

    /** Replaces the output shown under {@code displayId} with {@code value}. */
    void update(String displayId, Object value);

    /** True when updates replace output in place (a notebook), false in a terminal. */
    boolean isRich();
}
