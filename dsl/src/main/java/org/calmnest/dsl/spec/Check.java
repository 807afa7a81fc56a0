package org.calmnest.dsl.spec;

/**
 * Validation helpers for DSL specs. Every failure is an {@link IllegalArgumentException} whose
 * message names the call, the field, the value and the fix, e.g.
 * {@code calm().chunk(0): chunk = 0 is out of range; use a chunk size K >= 1 (4 in the paper)}.
 * <p>
 * Single-field checks run in the setter (the spec's compact constructor). Checks between two
 * fields ({@link #together}) run only when the spec is used ({@code validate()}, {@code train(..)}),
 * so the order of the setter calls never matters: {@code .width(12).heads(3)} and
 * {@code .heads(3).width(12)} give the same spec.
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

    /** Fails unless {@code ok}: two fields whose values do not fit together, e.g. width and heads. */
    public static void together(boolean ok, String where, String field1, Object value1, String field2, Object value2,
                                String fix) {
        if (!ok) {
            throw new IllegalArgumentException(where + ": " + field1 + " = " + value1 + " and " + field2 + " = " + value2
                    + " do not fit together; " + fix);
        }
    }

    /**
     * Attention heads must split the width into whole, even head sizes (RoPE rotates pairs):
     * {@code width % heads == 0 && (width / heads) % 2 == 0}. The fix lists the heads that work
     * with this width and the nearest width that works with these heads.
     */
    public static void headsFitWidth(String where, int width, int heads) {
        if (width % heads == 0 && (width / heads) % 2 == 0) {
            return;
        }
        StringBuilder ok = new StringBuilder();
        for (int h = 1; h <= Math.min(width / 2, 256); h++) {
            if (width % h == 0 && (width / h) % 2 == 0) {
                ok.append(ok.length() == 0 ? "" : ", ").append("heads(").append(h).append(')');
            }
        }
        int step = 2 * heads;
        int nearest = Math.max(step, (width + step - 1) / step * step);
        together(false, where, "width", width, "heads", heads,
                "width / heads must be a whole, even number (RoPE rotates pairs of each head's dimensions); with width("
                        + width + ") use " + (ok.length() == 0 ? "an even width" : ok)
                        + ", or with heads(" + heads + ") a multiple of " + step + " such as width(" + nearest + ")");
    }
}
