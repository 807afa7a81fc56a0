package org.calmnest.dsl.spec;

/**
 * Validation helpers for DSL specs. Every failure is an {@link IllegalArgumentException} whose
 * message names the call, the field, the value and the fix, e.g.
 * {@code calm().chunk(0): chunk = 0 is out of range; use a chunk size K >= 1 (4 in the paper)}.
 */
public final class Check {

    private Check() {
    }

    /** Fails unless {@code ok}. */
    public static void that(boolean ok, String where, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + field + " = " + value + " is out of range; " + fix);
        }
    }

    /** Fails unless {@code lo <= v <= hi}. */
    public static void range(String where, String field, long v, long lo, long hi, String fix) {
        that(v >= lo && v <= hi, where, field, v, fix);
    }

    /** Fails unless {@code v} is finite and {@code lo <= v < hi} (hi exclusive). */
    public static void rangeOpen(String where, String field, double v, double lo, double hi, String fix) {
        that(Double.isFinite(v) && v >= lo && v < hi, where, field, v, fix);
    }

    /** Fails unless {@code v} is finite and {@code > 0}. */
    public static void positive(String where, String field, double v, String fix) {
        that(Double.isFinite(v) && v > 0, where, field, v, fix);
    }

    /** Fails when {@code value} is null. */
    public static <T> T notNull(String where, String field, T value, String fix) {
        if (value == null) {
            throw new IllegalArgumentException(where + ": " + field + " is null; " + fix);
        }
        return value;
    }
}
