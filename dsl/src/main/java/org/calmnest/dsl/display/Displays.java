package org.calmnest.dsl.display;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The display API notebook and script code calls: {@code display(obj)} and
 * {@code updateDisplay(id, obj)}. The kernel swaps in its own sink at start-up.
 */
public final class Displays {

    /** Prints {@code toString()} (or the text/plain part of a {@link RichDisplay}) to stdout. */
    public static final DisplaySink TERMINAL = new DisplaySink() {
        private final AtomicLong ids = new AtomicLong();

        @Override
        public String display(Object value) {
            System.out.println(plainText(value));
            return "terminal-" + ids.incrementAndGet();
        }

        @Override
        public void update(String displayId, Object value) {
            // a terminal cannot replace earlier output; progress is printed by the progress line
        }

        @Override
        public boolean isRich() {
            return false;
        }
    };

    private static volatile DisplaySink sink = TERMINAL;

    private Displays() {
    }

    /** Installs the sink used from now on (the kernel calls this). */
    public static void install(DisplaySink newSink) {
        sink = Objects.requireNonNull(newSink, "sink");
    }

    public static DisplaySink current() {
        return sink;
    }

    /** Shows a value (chart, table, model summary, image...) and returns its display id. */
    public static String display(Object value) {
        return sink.display(value);
    }

    /** Replaces the display {@code id} with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        sink.update(id, value);
    }

    /** The plain-text form of a value. */
    public static String plainText(Object value) {
        if (value instanceof RichDisplay rich) {
            Object text = rich.mimeBundle().get("text/plain");
            if (text != null) {
                return text.toString();
            }
        }
        return String.valueOf(value);
    }
}
