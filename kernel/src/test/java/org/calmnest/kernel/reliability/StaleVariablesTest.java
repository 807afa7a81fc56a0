package org.calmnest.kernel.reliability;

import org.calmnest.kernel.eval.ClassPaths;
import org.calmnest.kernel.eval.JShellEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-declaring a notebook variable releases what the old declaration held: the field is cleared
 * (the object can be collected) and a calmnest resource (here a probe in {@code org.calmnest}) is
 * closed, unless another variable still holds it, directly or inside a collection or array.
 */
public class StaleVariablesTest {

    /** A stand-in for a trained model: closing it is recorded. */
    public static final class Probe implements AutoCloseable {
        static final Map<String, Boolean> CLOSED = new ConcurrentHashMap<>();
        public final String name;

        public Probe(String name) {
            this.name = name;
            CLOSED.put(name, false);
        }

        @Override
        public void close() {
            CLOSED.put(name, true);
        }
    }

    /** Holds a weak reference to what a snippet created, to see it collected. */
    public static final class Watch {
        public static volatile WeakReference<Object> ref;

        public static Object watch(Object o) {
            ref = new WeakReference<>(o);
            return o;
        }
    }

    static JShellEvaluator ev;
    static final String P = "org.calmnest.kernel.reliability.StaleVariablesTest.";

    @BeforeAll
    static void start() {
        ev = new JShellEvaluator(ClassPaths.current(), StaleVariablesTest.class.getClassLoader());
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void aRedeclaredVariablesModelIsClosedUnlessStillHeld() throws Exception {
        ev.eval("var m = new " + P + "Probe(\"m1\");", 1);
        ev.eval("var m = new " + P + "Probe(\"m2\");", 2);
        assertThat(Probe.CLOSED).containsEntry("m1", true).containsEntry("m2", false);

        // JShell itself resets a variable whose initializer names a re-declared one: keep becomes
        // null, so nothing holds m2 any more
        ev.eval("var keep = m;", 3);
        ev.eval("var m = new " + P + "Probe(\"m3\");", 4);
        assertThat(ev.eval("keep == null", 5).value()).isEqualTo(true);
        assertThat(Probe.CLOSED).containsEntry("m2", true);

        ev.eval("var list = new java.util.ArrayList<Object>(); list.add(m);", 6);
        ev.eval("var m = new " + P + "Probe(\"m4\");", 7);
        assertThat(Probe.CLOSED).as("held in a list").containsEntry("m3", false);

        ev.eval("Object[] arr = new Object[1]; arr[0] = m;", 8);
        ev.eval("var m = new " + P + "Probe(\"m5\");", 9);
        assertThat(Probe.CLOSED).as("held in an array").containsEntry("m4", false);

        ev.eval("new " + P + "Probe(\"temp\")", 10); // a temporary $N keeps its value: it stays usable
        ev.eval("var m = new " + P + "Probe(\"m6\");", 11);
        assertThat(Probe.CLOSED).containsEntry("temp", false).containsEntry("m5", true).containsEntry("m6", false);
        assertThat(ev.eval("m.name + ((" + P + "Probe) list.get(0)).name + ((" + P + "Probe) arr[0]).name", 12).value())
                .isEqualTo("m6m3m4");
    }

    @Test
    void aRedeclaredVariablesPlainValueCanBeCollected() throws Exception {
        ev.eval("var big = " + P + "Watch.watch(new long[1 << 20]);", 20);
        WeakReference<Object> first = Watch.ref;
        ev.eval("var big = new long[1];", 21);
        for (int i = 0; i < 20 && first.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(first.get()).as("the old array is unreachable once its variable is re-declared").isNull();
    }
}
