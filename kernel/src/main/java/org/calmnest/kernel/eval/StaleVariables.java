package org.calmnest.kernel.eval;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Releases what re-declared notebook variables still hold. JShell compiles every variable into a
 * static field of its own wrapper class; re-running {@code var lm = transformer().train(..)}
 * declares a new wrapper, but the old one stays loaded (the notebook class loader lives as long as
 * the kernel) and its field keeps the old model, whose native tensors (DJL managers are attached to
 * the engine's root manager) are then never freed: a few MB per re-run training cell.
 *
 * <p>After each cell, every field of a wrapper that no longer backs an active variable (overwritten
 * or dropped) is set to null, and a calmnest object it held ({@code org.calmnest.*} implementing
 * {@link AutoCloseable}: trained models, continual runs) is closed, unless it may still be in use:
 * unless it, or one of the resources it holds, can be reached from an active variable
 * ({@link Reachable}: fields of non-JDK objects, elements of collections, maps and arrays).
 */
final class StaleVariables {

    /** Top-level JShell wrapper classes ({@code REPL.$JShell$N}) with static reference fields, in load order. */
    private final List<Class<?>> wrappers = new ArrayList<>();

    /** Called for every class the notebook loader loads. */
    synchronized void loaded(Class<?> c) {
        if (c.getName().startsWith("REPL.") && c.getEnclosingClass() == null && !referenceFields(c).isEmpty()) {
            wrappers.add(c);
        }
    }

    /**
     * Releases the fields of stale wrappers.
     *
     * @param activeNames names of JShell's active variables (including temporaries such as {@code $3})
     * @return how many calmnest objects were closed
     */
    synchronized int release(Set<String> activeNames) {
        Map<String, List<Field>> holders = new LinkedHashMap<>();
        for (Class<?> c : wrappers) {
            for (Field f : referenceFields(c)) {
                holders.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f);
            }
        }
        List<Field> stale = new ArrayList<>();
        Set<Field> current = new HashSet<>();
        List<Object> roots = new ArrayList<>();
        for (Map.Entry<String, List<Field>> e : holders.entrySet()) {
            List<Field> fs = e.getValue();
            int n = activeNames.contains(e.getKey()) ? fs.size() - 1 : fs.size(); // the newest backs the variable
            stale.addAll(fs.subList(0, n));
            if (n < fs.size()) {
                current.add(fs.get(n));
                roots.add(get(fs.get(n)));
            }
        }
        List<AutoCloseable> toClose = new ArrayList<>();
        for (Field f : stale) {
            Object v = get(f);
            if (v == null) {
                continue;
            }
            try {
                f.set(null, null);
            } catch (IllegalAccessException | RuntimeException ignored) {
                continue;
            }
            if (v instanceof AutoCloseable ac && v.getClass().getName().startsWith("org.calmnest.")
                    && toClose.stream().noneMatch(c -> c == v)) {
                toClose.add(ac);
            }
        }
        int closed = 0;
        if (!toClose.isEmpty()) {
            Reachable live = Reachable.from(roots);
            for (AutoCloseable ac : toClose) {
                if (live.mayUse(ac)) {
                    continue; // still in use through a live variable: only the field is cleared
                }
                try {
                    ac.close();
                    closed++;
                } catch (Exception | LinkageError ignored) {
                    // a failing close must not fail the cell
                }
            }
        }
        wrappers.removeIf(c -> referenceFields(c).stream().noneMatch(current::contains)); // nothing left to release
        return closed;
    }

    private static List<Field> referenceFields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        try {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) && !Modifier.isFinal(m) && !f.getType().isPrimitive() && !f.isSynthetic()) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        } catch (RuntimeException | LinkageError ignored) {
            // a class that cannot be inspected holds nothing we can release
        }
        return out;
    }

    private static Object get(Field f) {
        try {
            return f.get(null);
        } catch (IllegalAccessException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
