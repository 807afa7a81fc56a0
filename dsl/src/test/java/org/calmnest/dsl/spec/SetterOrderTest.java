package org.calmnest.dsl.spec;

import org.calmnest.dsl.Memory;
import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.result.ContinualRun;
import org.calmnest.dsl.result.TrainedAutoencoder;
import org.calmnest.dsl.result.TrainedTransformer;
import org.calmnest.lib.data.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

/**
 * Property-style: for random settings, every order of the setter calls gives an equal spec that
 * validates (or fails, with the same message) alike; cross-field checks agree with an independent
 * oracle; equal specs train alike; every cross-field message is spelled out.
 */
class SetterOrderTest {

    private static final int TRIALS = 150;
    private static TrainedAutoencoder aeK2;
    private static TrainedAutoencoder aeK4;

    /** One setter call: its text (for failure messages) and what it does. */
    record Setter<S>(String text, UnaryOperator<S> call) {
        @Override
        public String toString() {
            return text;
        }
    }

    @BeforeAll
    static void autoencoders() {
        Corpus c = TinyCorpus.get();
        aeK2 = calm().chunk(2).latent(4).autoencoder().width(8).batch(8).maxDocuments(5).train(c, steps(1));
        aeK4 = calm().chunk(4).latent(8).autoencoder().width(8).batch(8).maxDocuments(5).train(c, steps(1));
    }

    @AfterAll
    static void close() {
        aeK2.close();
        aeK4.close();
    }

    @Test
    void transformerSetterOrderDoesNotMatter() {
        Random r = new Random(1);
        int invalid = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int w = pick(r, 8, 12, 16, 20, 24, 32, 48, 64);
            int h = pick(r, 1, 2, 3, 4, 6, 8);
            int t = pick(r, 6, 8, 10, 12, 16, 24, 32);
            int k = pick(r, 1, 2, 3, 4, 8);
            int l = pick(r, 1, 2, 3);
            long seed = r.nextInt(1000);
            List<Setter<TransformerSpec>> all = List.of(
                    new Setter<>("width(" + w + ")", s -> s.width(w)), new Setter<>("heads(" + h + ")", s -> s.heads(h)),
                    new Setter<>("context(" + t + ")", s -> s.context(t)), new Setter<>("evalStride(" + k + ")", s -> s.evalStride(k)),
                    new Setter<>("layers(" + l + ")", s -> s.layers(l)), new Setter<>("seed(" + seed + ")", s -> s.seed(seed)),
                    new Setter<>("batch(3)", s -> s.batch(3)), new Setter<>("device(\"cpu\")", s -> s.device("cpu")));
            TransformerSpec spec = sameInEveryOrder(transformer(), subset(r, all), r);
            boolean ok = headsFit(spec.width(), spec.heads()) && spec.context() % spec.evalStride() == 0
                    && spec.context() >= 2 * spec.evalStride();
            invalid += ok ? 0 : 1;
            expectOutcome(spec::validate, ok, "transformer(): ");
        }
        assertThat(invalid).as("the generator reaches both outcomes").isBetween(10, TRIALS - 10);
    }

    @Test
    void calmSetterOrderDoesNotMatter() {
        Random r = new Random(2);
        int invalid = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int w = pick(r, 8, 12, 16, 24, 32);
            int h = pick(r, 1, 2, 3, 4);
            int k = pick(r, 2, 4);
            int lat = pick(r, 4, 8, 16);
            int n = pick(r, 2, 4, 8);
            int ctx = pick(r, 2, 8, 16);
            TrainedAutoencoder ae = r.nextBoolean() ? aeK2 : aeK4;
            List<Setter<CalmSpec>> all = List.of(
                    new Setter<>("width(" + w + ")", s -> s.width(w)), new Setter<>("heads(" + h + ")", s -> s.heads(h)),
                    new Setter<>("chunk(" + k + ")", s -> s.chunk(k)), new Setter<>("latent(" + lat + ")", s -> s.latent(lat)),
                    new Setter<>("energySamples(" + n + ")", s -> s.energySamples(n)),
                    new Setter<>("context(" + ctx + ")", s -> s.context(ctx)),
                    new Setter<>("autoencoder(" + ae.name() + ")", s -> s.autoencoder(ae)),
                    new Setter<>("learningRate(0.002)", s -> s.learningRate(2e-3)));
            CalmSpec spec = sameInEveryOrder(calm(), subset(r, all), r);
            TrainedAutoencoder a = spec.trainedAutoencoder();
            boolean ok = headsFit(spec.width(), spec.heads())
                    && (a == null || a.chunk() == spec.chunk() && (spec.latent() == 0 || spec.latent() == a.latent()));
            invalid += ok ? 0 : 1;
            expectOutcome(spec::validate, ok, "calm(): ");
            assertThat(spec.latentSize()).isEqualTo(a != null ? a.latent() : spec.latent() > 0 ? spec.latent() : 32);
        }
        assertThat(invalid).isBetween(10, TRIALS - 10);
    }

    @Test
    void nestedAndAutoencoderSetterOrderDoesNotMatter() {
        Random r = new Random(3);
        int invalid = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            int w = pick(r, 8, 12, 16, 24, 32);
            int h = pick(r, 1, 2, 3, 4);
            int[] levels = r.nextBoolean() ? new int[] {1, 2} : new int[] {1, 4, 16};
            Memory m = r.nextBoolean() ? Memory.ATTENTION : Memory.SELF_MODIFYING;
            int inner = pick(r, 8, 16, 32);
            List<Setter<NestedSpec>> all = List.of(
                    new Setter<>("width(" + w + ")", s -> s.width(w)), new Setter<>("heads(" + h + ")", s -> s.heads(h)),
                    new Setter<>("levels(" + levels.length + " levels)", s -> s.levels(levels)),
                    new Setter<>("lrMatched()", NestedSpec::lrMatched), new Setter<>("memory(" + m + ")", s -> s.memory(m)),
                    new Setter<>("levelInner(" + inner + ")", s -> s.levelInner(inner)),
                    new Setter<>("maxDocuments(7)", s -> s.maxDocuments(7)));
            NestedSpec spec = sameInEveryOrder(nested(), subset(r, all), r);
            boolean ok = headsFit(spec.width(), spec.heads());
            invalid += ok ? 0 : 1;
            expectOutcome(spec::validate, ok, "nested(): ");

            int d = pick(r, 8, 16, 32);
            int n = pick(r, 8, 24, 100);
            double p = pick(r, 0, 1, 2) / 10.0;
            List<Setter<AutoencoderSpec>> ae = List.of(
                    new Setter<>("width(" + d + ")", s -> s.width(d)), new Setter<>("inner(" + n + ")", s -> s.inner(n)),
                    new Setter<>("dropToken(" + p + ")", s -> s.dropToken(p)), new Setter<>("latent(" + n + ")", s -> s.latent(n)),
                    new Setter<>("noKlClip()", AutoencoderSpec::noKlClip), new Setter<>("chunk(2)", s -> s.chunk(2)));
            AutoencoderSpec a = sameInEveryOrder(calm().autoencoder(), subset(r, ae), r);
            expectOutcome(a::validate, true, "");
        }
        assertThat(invalid).isBetween(10, TRIALS - 10);
    }

    @Test
    void equalSpecsFromDifferentOrdersTrainAlike() {
        Corpus c = TinyCorpus.get();
        TransformerSpec a = transformer().width(12).heads(3).context(8).evalStride(2).layers(1).batch(2).maxDocuments(10);
        TransformerSpec b = transformer().maxDocuments(10).batch(2).layers(1).evalStride(2).context(8).heads(3).width(12);
        assertThat(b).isEqualTo(a);
        try (TrainedTransformer x = a.train(c, steps(2)); TrainedTransformer y = b.train(c, steps(2))) {
            assertThat(y.history().steps()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(y.history().steps().get(i).loss()).isEqualTo(x.history().steps().get(i).loss());
            }
        }
        NestedSpec n1 = nested().width(12).heads(3).levels(1, 2).layers(1).levelInner(8).context(8).batch(2).maxDocuments(5);
        NestedSpec n2 = nested().maxDocuments(5).batch(2).context(8).levelInner(8).layers(1).levels(1, 2).heads(3).width(12);
        assertThat(n2).isEqualTo(n1);
        Corpus de = Corpus.ofTexts("tiny-de", List.of("Die Kommission unterstützt den Bericht. Der Rat nimmt den Haushalt an.",
                "Das Parlament begrüßt den Vorschlag. Der Ausschuss ändert die Richtlinie.",
                "Der Rat begrüßt die Richtlinie. Das Parlament unterstützt den Haushalt."));
        try (ContinualRun x = n1.train(tasks(c, de), stepsPerTask(1)); ContinualRun y = n2.train(tasks(c, de), stepsPerTask(1))) {
            assertThat(y.history().steps()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(y.history().steps().get(i).loss()).isEqualTo(x.history().steps().get(i).loss());
            }
        }
    }

    @Test
    void everyCrossFieldMessage() {
        assertThatThrownBy(() -> transformer().width(12).validate()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transformer(): width = 12 and heads = 4 do not fit together; width / heads must be a whole, even"
                        + " number (RoPE rotates pairs of each head's dimensions); with width(12) use heads(1), heads(2),"
                        + " heads(3), heads(6), or with heads(4) a multiple of 8 such as width(16)");
        assertThatThrownBy(() -> transformer().width(5).heads(1).validate())
                .hasMessage("transformer(): width = 5 and heads = 1 do not fit together; width / heads must be a whole, even"
                        + " number (RoPE rotates pairs of each head's dimensions); with width(5) use an even width, or with"
                        + " heads(1) a multiple of 2 such as width(6)");
        assertThatThrownBy(() -> transformer().context(10).validate())
                .hasMessage("transformer(): context = 10 and evalStride = 4 do not fit together; the context must be a multiple"
                        + " of evalStride holding at least two n-gram starts; with evalStride(4) use .context(t) with t a"
                        + " multiple of 4 and t >= 8 such as context(12), or .evalStride(k) with k dividing 10 and k <= 5");
        assertThatThrownBy(() -> transformer().evalStride(8).context(8).validate())
                .hasMessageStartingWith("transformer(): context = 8 and evalStride = 8 do not fit together;")
                .hasMessageEndingWith("such as context(16), or .evalStride(k) with k dividing 8 and k <= 4");
        assertThatThrownBy(() -> calm().width(12).validate()).hasMessageStartingWith(
                "calm(): width = 12 and heads = 4 do not fit together; width / heads must be a whole, even number");
        assertThatThrownBy(() -> calm().autoencoder(aeK2).validate())
                .hasMessage("calm(): chunk = 4 and autoencoder(ae) chunk = 2 do not fit together; the autoencoder was trained"
                        + " with K = 2; use .chunk(2) with this autoencoder or train an autoencoder with chunk(4)");
        assertThatThrownBy(() -> calm().chunk(2).latent(16).autoencoder(aeK2).validate())
                .hasMessage("calm(): latent = 16 and autoencoder(ae) latent = 4 do not fit together; the language model"
                        + " predicts the autoencoder's latents (l = 4); leave .latent(..) out (it only sizes a new"
                        + " autoencoder) or use .latent(4)");
        assertThatThrownBy(() -> nested().width(12).validate()).hasMessageStartingWith(
                "nested(): width = 12 and heads = 4 do not fit together; width / heads must be a whole, even number");
        // the setters themselves no longer look at other fields
        assertThat(transformer().width(12).heads(3)).isEqualTo(transformer().heads(3).width(12));
        assertThat(calm().chunk(2).autoencoder(aeK2).validate().latentSize()).isEqualTo(4);
    }

    @Test
    void trainingChecksTheCrossFieldRulesFirst() {
        Corpus c = TinyCorpus.get();
        assertThatThrownBy(() -> transformer().width(12).train(c, steps(1))).hasMessageContaining("width = 12 and heads = 4");
        assertThatThrownBy(() -> calm().width(12).heads(3).autoencoder(aeK4).latent(4).train(c, steps(1)))
                .hasMessageContaining("latent = 4 and autoencoder(ae) latent = 8");
        assertThatThrownBy(() -> nested().width(12).train(tasks(c, Corpus.ofTexts("b", List.of("x y z", "y z x", "z x y"))), stepsPerTask(1)))
                .hasMessageContaining("width = 12 and heads = 4");
    }

    // ------------------------------------------------------------------ helpers

    /** Applies the setters in every order (all orders up to 5 setters, else 40 random ones): all equal. */
    private static <S> S sameInEveryOrder(S start, List<Setter<S>> setters, Random r) {
        S reference = apply(start, setters);
        for (List<Setter<S>> order : orders(setters, r)) {
            assertThat(apply(start, order)).as("%s vs %s", order, setters).isEqualTo(reference);
        }
        return reference;
    }

    private static <S> S apply(S start, List<Setter<S>> setters) {
        S s = start;
        for (Setter<S> x : setters) {
            s = x.call().apply(s); // a single-field check failing here would fail the test
        }
        return s;
    }

    private static <S> List<List<Setter<S>>> orders(List<Setter<S>> setters, Random r) {
        List<List<Setter<S>>> out = new ArrayList<>();
        if (setters.size() <= 5) {
            permute(new ArrayList<>(setters), 0, out);
        } else {
            for (int i = 0; i < 40; i++) {
                List<Setter<S>> copy = new ArrayList<>(setters);
                Collections.shuffle(copy, r);
                out.add(copy);
            }
        }
        return out;
    }

    private static <S> void permute(List<Setter<S>> a, int from, List<List<Setter<S>>> out) {
        if (from == a.size()) {
            out.add(new ArrayList<>(a));
            return;
        }
        for (int i = from; i < a.size(); i++) {
            Collections.swap(a, from, i);
            permute(a, from + 1, out);
            Collections.swap(a, from, i);
        }
    }

    private static <S> List<Setter<S>> subset(Random r, List<Setter<S>> all) {
        List<Setter<S>> copy = new ArrayList<>(all);
        Collections.shuffle(copy, r);
        return copy.subList(0, 2 + r.nextInt(all.size() - 1));
    }

    private static void expectOutcome(Supplier<?> validate, boolean ok, String prefix) {
        if (ok) {
            validate.get();
        } else {
            assertThatThrownBy(validate::get).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(prefix).hasMessageContaining(" do not fit together; ");
        }
    }

    private static boolean headsFit(int width, int heads) {
        return width % heads == 0 && (width / heads) % 2 == 0;
    }

    private static int pick(Random r, int... values) {
        return values[r.nextInt(values.length)];
    }
}
