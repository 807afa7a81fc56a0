package org.calmnest.kernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects reachable from the notebook's live variables, to decide whether a re-declared
 * variable's model may be closed. The walk follows the fields of non-JDK objects (notebook classes,
 * calmnest, DJL, Tablesaw...) and the elements of collections, maps and arrays; it does not enter
 * DJL managers and arrays (every manager hangs off the engine's root, which would make every model
 * reachable from every other), classes, class loaders or threads. When the walk exceeds
 * {@link #LIMIT} objects, everything counts as possibly in use.
 */
final class Reachable {

    static final int LIMIT = 200_000;

    private final Set<Object> seen;
    private final boolean complete;

    private Reachable(Set<Object> seen, boolean complete) {
        this.seen = seen;
        this.complete = complete;
    }

    static Reachable from(Collection<Object> roots) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        for (Object r : roots) {
            push(r, seen, todo);
        }
        while (!todo.isEmpty()) {
            if (seen.size() > LIMIT) {
                return new Reachable(seen, false);
            }
            Object o = todo.pop();
            if (o instanceof Collection<?> c) {
                try {
                    for (Object e : c) {
                        push(e, seen, todo);
                    }
                } catch (RuntimeException ignored) {
                    // a lazy or concurrently changed collection: what was seen counts
                }
            } else if (o instanceof Map<?, ?> m) {
                try {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        push(e.getKey(), seen, todo);
                        push(e.getValue(), seen, todo);
                    }
                } catch (RuntimeException ignored) {
                    // as above
                }
            } else if (o instanceof Object[] a) {
                for (Object e : a) {
                    push(e, seen, todo);
                }
            } else if (!isJdk(o.getClass()) && !isOpaque(o)) {
                for (Field f : instanceFields(o.getClass())) {
                    try {
                        push(f.get(o), seen, todo);
                    } catch (IllegalAccessException | RuntimeException ignored) {
                        // an inaccessible field: not followed
                    }
                }
            }
        }
        return new Reachable(seen, true);
    }

    /**
     * True when {@code candidate} may still be used from a live variable: it is reachable, or one of
     * the resources it holds directly (its {@link AutoCloseable} fields, which its close() would
     * close; tokenizers excepted, which models share by design and never close) is reachable.
     */
    boolean mayUse(Object candidate) {
        if (!complete || seen.contains(candidate)) {
            return true;
        }
        for (Field f : instanceFields(candidate.getClass())) {
            try {
                Object v = f.get(candidate);
                if (v instanceof AutoCloseable && !isTokenizer(v) && seen.contains(v)) {
                    return true;
                }
            } catch (IllegalAccessException | RuntimeException ignored) {
                // not followed
            }
        }
        return false;
    }

    private static void push(Object o, Set<Object> seen, Deque<Object> todo) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Character
                || o instanceof Enum<?> || o.getClass().isArray() && o.getClass().getComponentType().isPrimitive()) {
            return;
        }
        if (seen.add(o)) {
            todo.push(o);
        }
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.")
                || n.startsWith("com.sun.");
    }

    /** Objects whose insides are not walked (see the class comment). */
    private static boolean isOpaque(Object o) {
        return o instanceof ai.djl.ndarray.NDManager || o instanceof ai.djl.ndarray.NDArray || o instanceof Class<?>
                || o instanceof ClassLoader || o instanceof Thread;
    }

    private static boolean isTokenizer(Object o) {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("org.calmnest.lib.data.Tokenizer")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Field> instanceFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && !isJdk(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                    try {
                        f.setAccessible(true);
                        out.add(f);
                    } catch (RuntimeException ignored) {
                        // a module that does not open this field: not followed
                    }
                }
            }
        }
        return out;
    }
}
