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
 * closed, unless it may still be used: another variable reaches it (in a collection, an array, a
 * field of an object) or reaches a resource it holds.
 */
public class StaleVariablesTest {

    /** A stand-in for a trained model: closing it is recorded. */
    public static final class Probe implements AutoCloseable {
        static final Map<String, Boolean> CLOSED = new ConcurrentHashMap<>();
        public final String name;
        public final Part part = new Part();

        public Probe(String name) {
            this.name = name;
            CLOSED.put(name, false);
        }

        @Override
        public void close() {
            CLOSED.put(name, true);
        }
    }

    /** A resource a probe holds (like the lib model inside a trained DSL model). */
    public static final class Part implements AutoCloseable {
        @Override
        public void close() {
        }
    }

    /** A plain object that can hold anything in a field. */
    public static final class Holder {
        public Object value;
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

        ev.eval("var holder = new " + P + "Holder(); holder.value = java.util.Map.of(\"k\", java.util.List.of(m));", 12);
        ev.eval("var m = new " + P + "Probe(\"m5b\");", 13);
        assertThat(Probe.CLOSED).as("held deep inside an object").containsEntry("m5", false);
        ev.eval("holder.value = m.part;", 14);
        ev.eval("var m = new " + P + "Probe(\"m5c\");", 15);
        assertThat(Probe.CLOSED).as("a resource it holds is in use").containsEntry("m5b", false);
        ev.eval("holder.value = null;", 16);

        ev.eval("new " + P + "Probe(\"temp\")", 10); // a temporary $N keeps its value: it stays usable
        ev.eval("var m = new " + P + "Probe(\"m6\");", 11);
        assertThat(Probe.CLOSED).containsEntry("temp", false).containsEntry("m5c", true).containsEntry("m6", false);
        assertThat(ev.eval("m.name + ((" + P + "Probe) list.get(0)).name + ((" + P + "Probe) arr[0]).name", 12).value())
                .isEqualTo("m6m3m4");
    }

    /**
     * The notebook case the reachability walk exists for: a CALM model (kept in a list) uses the
     * autoencoder it was trained on; re-training the autoencoder into the same variable must not
     * close the old one under the CALM model, which still generates.
     */
    @Test
    void aRetrainedAutoencoderStaysOpenWhileACalmModelUsesIt() throws Exception {
        ev.eval("import static org.calmnest.dsl.Calmnest.*;", 30);
        ev.eval("var docs = new java.util.ArrayList<String>();\n"
                + "for (int d = 0; d < 30; d++) docs.add(\"The Council adopts the budget \" + d + \". Parliament amends the report.\");\n"
                + "var corpus = texts(\"stale\", docs);", 31);
        ev.eval("var ae = calm().autoencoder().batch(8).train(corpus, steps(2));", 32);
        ev.eval("var models = new java.util.ArrayList<Object>();\n"
                + "models.add(calm().autoencoder(ae).width(16).layers(1).heads(2).batch(2).train(corpus, steps(2)));", 33);
        ev.eval("var ae = calm().autoencoder().batch(8).seed(7).train(corpus, steps(2));", 34);
        Object text = ev.eval("((org.calmnest.dsl.result.TrainedCalm) models.get(0)).generate(\"The Council\", temperature(1).tokens(8))", 35).value();
        assertThat(text).isInstanceOf(String.class);
        ev.eval("models.clear();", 36);
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
