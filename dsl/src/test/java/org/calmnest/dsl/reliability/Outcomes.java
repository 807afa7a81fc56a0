package org.calmnest.dsl.reliability;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.regex.Pattern;

/**
 * What the property tests accept: a call returns, or throws the project's own
 * IllegalArgumentException / IllegalStateException whose message names where, the field, the
 * value and a fix ({@code calm().chunk(..): chunk = 0 is out of range; use ...}). Anything else
 * (NPE, a JDK exception leaking through, an unformatted message) fails the property.
 */
final class Outcomes {

    /** "where: field = value is out of range; fix" or "where: field is null; fix" (Check's formats). */
    private static final Pattern CHECK = Pattern.compile("(?s).+: .+ (= .* is out of range|is null); .{8,}");

    /** Library messages (Corpus, CheckpointFile, Trainer) say what to do with one of these verbs. */
    private static final Pattern FIX = Pattern.compile("\\b(use|pass|set|put|check|convert|train|save|call|make|add|leave|start|build|choose|give|try|run|remove|install)\\b");

    private Outcomes() {
    }

    /** "ok" or "rejected: <field-ish prefix>" for statistics; throws AssertionError otherwise. */
    static String invoke(Object target, Method m, Object arg) {
        try {
            m.invoke(target, arg);
            return "ok";
        } catch (InvocationTargetException e) {
            return classify(e.getCause(), m.getName() + "(" + show(arg) + ")");
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static String classify(Throwable t, String call) {
        if (t.getClass() == IllegalArgumentException.class && t.getMessage() != null) {
            if (CHECK.matcher(t.getMessage()).matches()) {
                return "rejected";
            }
            if (isClear(t)) {
                return "rejected (library message)";
            }
        }
        throw new AssertionError(call + " failed without the project's clear message: " + t, t);
    }

    /** A clear project error of any of the library's formats (used for training outcomes). */
    static boolean isClear(Throwable t) {
        if (!(t.getClass() == IllegalArgumentException.class || t.getClass() == IllegalStateException.class)) {
            return false;
        }
        String msg = t.getMessage();
        return msg != null && (CHECK.matcher(msg).matches()
                || msg.length() > 30 && msg.contains(":") && !msg.startsWith("java.") && FIX.matcher(msg).find());
    }

    static String show(Object o) {
        if (o instanceof int[] a) {
            return java.util.Arrays.toString(a);
        }
        if (o instanceof String s) {
            return "\"" + s.replace("\u0000", "\\0") + "\"";
        }
        return String.valueOf(o);
    }
}
