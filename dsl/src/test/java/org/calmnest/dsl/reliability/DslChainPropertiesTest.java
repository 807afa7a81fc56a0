package org.calmnest.dsl.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.statistics.Statistics;
import org.calmnest.dsl.Calmnest;
import org.calmnest.dsl.Memory;
import org.calmnest.dsl.spec.AutoencoderSpec;
import org.calmnest.dsl.spec.CalmSpec;
import org.calmnest.dsl.spec.NestedSpec;
import org.calmnest.dsl.spec.TokenizerSpec;
import org.calmnest.dsl.spec.TransformerSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Random DSL chains with random, out-of-range and absurd arguments: every call of every
 * one-argument builder method of every spec (found by reflection, so new methods are covered) and
 * of the entry class either returns or fails with the project's clear message (field, value, fix).
 * Cases per default run: 1000 chains of up to 12 calls + 1000 entry-class calls (20 000 each
 * in the slow run).
 */
class DslChainPropertiesTest {

    private static final List<Class<?>> ARG_TYPES = List.of(int.class, long.class, double.class, String.class,
            TokenizerSpec.class, Memory.class, int[].class);

    record Call(Method method, Object arg) {
        @Override
        public String toString() {
            return method.getName() + "(" + Outcomes.show(arg) + ")";
        }
    }

    @AfterTry
    void resetGlobals() {
        Calmnest.device("auto");
        Calmnest.seed(42);
    }

    @Property(tries = 1000, seed = "20261204")
    void everySpecChainRunsOrFailsClearly(@ForAll("chains") Tuple.Tuple2<Object, List<Call>> chain) throws Exception {
        runChain(chain);
    }

    @Property(tries = 20_000, seed = "20261206")
    @Tag("slow")
    void twentyThousandChains(@ForAll("chains") Tuple.Tuple2<Object, List<Call>> chain) throws Exception {
        runChain(chain);
    }

    private static void runChain(Tuple.Tuple2<Object, List<Call>> chain) throws Exception {
        Object spec = chain.get1();
        for (Call c : chain.get2()) {
            try {
                spec = c.method().invoke(spec, c.arg());
                Statistics.label("calls").collect("ok");
                String line = spec.toString();                 // specs print themselves on one line
                if (line.contains("\n")) {
                    throw new AssertionError(c + ": toString() spans lines: " + line);
                }
            } catch (InvocationTargetException e) {
                Statistics.label("calls").collect(Outcomes.classify(e.getCause(), spec.getClass().getSimpleName() + "." + c));
            }
        }
    }

    @Property(tries = 1000, seed = "20261205")
    void everyEntryFunctionReturnsOrFailsClearly(@ForAll("entryCalls") Call call) {
        Statistics.label("entry").collect(Outcomes.invoke(null, call.method(), call.arg()));
    }

    @Property(tries = 20_000, seed = "20261207")
    @Tag("slow")
    void twentyThousandEntryCalls(@ForAll("entryCalls") Call call) {
        Statistics.label("entry").collect(Outcomes.invoke(null, call.method(), call.arg()));
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Tuple.Tuple2<Object, List<Call>>> chains() {
        return Arbitraries.of(CalmSpec.class, TransformerSpec.class, NestedSpec.class, AutoencoderSpec.class)
                .flatMap(type -> Combinators.combine(Arbitraries.just(start(type)), calls(type).list().ofMaxSize(12)).as(Tuple::of));
    }

    @Provide
    Arbitrary<Call> entryCalls() {
        List<Method> ms = new ArrayList<>();
        for (Method m : Calmnest.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1 && ARG_TYPES.contains(m.getParameterTypes()[0])
                    && !m.getName().equals("display")) {
                ms.add(m);
            }
        }
        ms.sort(Comparator.comparing(Method::toString));
        return Arbitraries.of(ms).flatMap(m -> argsFor(m.getParameterTypes()[0]).map(a -> new Call(m, a)));
    }

    private static Object start(Class<?> type) {
        if (type == CalmSpec.class) {
            return Calmnest.calm();
        }
        if (type == TransformerSpec.class) {
            return Calmnest.transformer();
        }
        if (type == NestedSpec.class) {
            return Calmnest.nested();
        }
        return Calmnest.calm().autoencoder();
    }

    /** Every public one-argument method of the spec that returns the spec type (or an interface of it). */
    private static Arbitrary<Call> calls(Class<?> type) {
        List<Method> ms = new ArrayList<>();
        for (Method m : type.getMethods()) {
            // the spec's own setters return the type; the shared ones (SpecSettings) its interface
            if (!Modifier.isStatic(m.getModifiers()) && m.getReturnType().isAssignableFrom(type)
                    && m.getReturnType() != Object.class && m.getParameterCount() == 1
                    && ARG_TYPES.contains(m.getParameterTypes()[0])) {
                ms.add(m);
            }
        }
        ms.sort(Comparator.comparing(Method::toString));
        return Arbitraries.of(ms).flatMap(m -> argsFor(m.getParameterTypes()[0]).map(a -> new Call(m, a)));
    }

    private static Arbitrary<?> argsFor(Class<?> t) {
        if (t == int.class) {
            return Arbitraries.oneOf(Arbitraries.of(Integer.MIN_VALUE, -1, 0, 1, 2, 3, 4, 6, 8, 16, 63, 64, 65, 255, 256,
                    259, 260, 4096, 8192, 8193, 65_536, 65_537, 1 << 20, Integer.MAX_VALUE), Arbitraries.integers());
        }
        if (t == long.class) {
            return Arbitraries.oneOf(Arbitraries.of(Long.MIN_VALUE, -1L, 0L, 1L, 2L, 50L, 1L << 40, Long.MAX_VALUE),
                    Arbitraries.longs());
        }
        if (t == double.class) {
            return Arbitraries.oneOf(Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                    Double.MIN_VALUE, 1e-300, -1e-3, 1e-3, 0.25, 1.0 / 3, 0.5, 0.7, 1.0, Math.nextUp(1.0), 10.0, 1e300,
                    Double.MAX_VALUE), Arbitraries.doubles());
        }
        if (t == String.class) {
            return Arbitraries.oneOf(Arbitraries.of("", " ", "cpu", "CPU", " auto ", "gpu", "gpu:0", "cuda:1", "gpu:-1",
                    "gpu:", "gpu:99999999999999999999", "tpu", "en", "de", "all", "xx", "/nonexistent/file.txt", "\u0000",
                    "a\u0000b", "/dev/null", "/proc/self/mem", "/proc/self/status"), Arbitraries.strings().ofMaxLength(20),
                    Arbitraries.just((String) null));
        }
        if (t == TokenizerSpec.class) {
            return Arbitraries.oneOf(Arbitraries.of(TokenizerSpec.bytes(), TokenizerSpec.bpe(260), TokenizerSpec.bpe(2048)),
                    Arbitraries.just((TokenizerSpec) null));
        }
        if (t == Memory.class) {
            return Arbitraries.oneOf(Arbitraries.of(Memory.values()), Arbitraries.just((Memory) null));
        }
        return Arbitraries.oneOf(Arbitraries.integers().between(-2, 100).array(int[].class).ofMaxSize(20),
                Arbitraries.of(new int[0], new int[] {1, 8, 64}, new int[] {64, 8, 1}, new int[] {Integer.MAX_VALUE}),
                Arbitraries.just((int[]) null)).map(a -> a == null ? null : Arrays.copyOf(a, a.length));
    }
}
