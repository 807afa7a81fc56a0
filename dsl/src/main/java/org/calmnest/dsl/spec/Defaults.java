package org.calmnest.dsl.spec;

import java.util.Locale;

/**
 * Session-wide defaults picked up by specs created afterwards ({@code seed(7)},
 * {@code device("cpu")} at the top of a notebook). Specs copy them at creation, so changing a
 * default never changes a spec that already exists.
 */
public final class Defaults {

    private static volatile long seed = 42;
    private static volatile String device = "auto";

    private Defaults() {
    }

    public static long seed() {
        return seed;
    }

    public static String device() {
        return device;
    }

    /** Sets the default seed for specs created from now on. */
    public static void seed(long s) {
        seed = s;
    }

    /** Sets the default device ("auto", "cpu", "gpu", "gpu:N") for specs created from now on. */
    public static void device(String d) {
        Check.notNull("device(..)", "device", d, "use device(\"auto\"), \"cpu\", \"gpu\" or \"gpu:N\"");
        String n = d.trim().toLowerCase(Locale.ROOT);
        Check.that(n.equals("auto") || n.equals("cpu") || n.matches("(gpu|cuda)(:\\d+)?"), "device(\"" + d + "\")",
                "device", d, "use device(\"auto\"), \"cpu\", \"gpu\" or \"gpu:N\"");
        device = n;
    }
}
