package org.calmnest.dsl.reliability;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;
import org.calmnest.dsl.Calmnest;
import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.result.ContinualRun;
import org.calmnest.dsl.result.TrainedAutoencoder;
import org.calmnest.dsl.result.TrainedCalm;
import org.calmnest.dsl.result.TrainedTransformer;
import org.calmnest.lib.data.Corpus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Random small-but-odd training runs end to end (train, evaluate, generate with a random
 * temperature and prompt, train again): each either completes with finite numbers or fails with
 * a clear project message, within a time limit (no hang). Includes devices this machine lacks,
 * learning rates near 1 (divergence), tiny document limits and empty or non-ASCII prompts.
 */
class DslTrainingPropertiesTest {

    /** One run: which model, its knobs, and what to do with it. */
    record Run(String kind, int width, int heads, int layers, int context, int batch, double lr, int maxDocs,
               String device, int steps, String prompt, double temperature, int tokens, boolean exact) {
    }

    @Property(tries = 8, seed = "11", shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void smallOddRunsTrainGenerateOrFailClearly(@ForAll("runs") Run run) {
        Statistics.label("outcome").collect(execute(run));
    }

    /** Sixty more runs drawn from the same generator (a plain JUnit test: recorded counts are printed). */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.Tag("slow")
    void sixtyOddRuns() {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        new DslTrainingPropertiesTest().runs().sampleStream().limit(60)
                .forEach(r -> counts.merge(execute(r), 1, Integer::sum));
        System.out.println("[reliability] 60 training runs: " + counts);
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    }

    private static String execute(Run run) {
        return assertTimeoutPreemptively(Duration.ofSeconds(180), () -> {
            try {
                return trainAndUse(run);
            } catch (RuntimeException e) {
                if (Outcomes.isClear(e)) {
                    return "clear error: " + e.getMessage().substring(0, Math.min(40, e.getMessage().length()));
                }
                throw new AssertionError(run + " failed without a clear project message: " + e, e);
            }
        }, () -> run + " did not finish in 180 s");
    }

    private static String trainAndUse(Run r) {
        Corpus corpus = TinyCorpus.get();
        var temp = Calmnest.temperature(r.temperature()).tokens(r.tokens());
        if (r.exact() || Math.abs(1 / r.temperature() - Math.rint(1 / r.temperature())) > 1e-9) {
            temp = temp.exactSampling();
        } else {
            temp = temp.batch(8);
        }
        switch (r.kind()) {
            case "transformer" -> {
                try (TrainedTransformer m = Calmnest.transformer().width(r.width()).heads(r.heads()).layers(r.layers())
                        .context(r.context()).batch(r.batch()).learningRate(r.lr()).maxDocuments(r.maxDocs())
                        .device(r.device()).train(corpus, Calmnest.steps(r.steps()))) {
                    assertThat(m.evaluate().loss()).isNotNaN();
                    String text = m.generate(r.prompt(), temp);
                    assertThat(text).isNotNull();
                    m.train(Calmnest.steps(1));
                    return "trained";
                }
            }
            case "calm" -> {
                TrainedAutoencoder ae = Calmnest.calm().autoencoder().batch(r.batch()).learningRate(r.lr())
                        .maxDocuments(r.maxDocs()).device(r.device()).train(corpus, Calmnest.steps(r.steps()));
                try (TrainedCalm m = Calmnest.calm().autoencoder(ae).width(r.width()).heads(r.heads()).layers(r.layers())
                        .context(Math.max(2, r.context() / 4)).batch(r.batch()).learningRate(r.lr()).device(r.device())
                        .train(corpus, Calmnest.steps(r.steps()))) {
                    assertThat(m.generate(r.prompt(), temp)).isNotNull();
                    return "trained";
                } finally {
                    ae.close();
                }
            }
            default -> {
                List<String> other = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    other.add("Ein anderer Text Nummer " + i + " mit etwas Inhalt für die zweite Aufgabe.");
                }
                try (ContinualRun run = Calmnest.nested().levels(1, 2, 4).width(r.width()).heads(r.heads())
                        .layers(r.layers()).context(r.context()).batch(r.batch()).learningRate(r.lr())
                        .device(r.device()).train(Calmnest.tasks(corpus, Calmnest.texts("other", other)),
                                Calmnest.stepsPerTask(r.steps()))) {
                    assertThat(run.tasksDone()).isEqualTo(2);
                    assertThat(run.forgetting()).isNotNull();
                    return "trained";
                }
            }
        }
    }

    @Provide
    Arbitrary<Run> runs() {
        Arbitrary<String> kind = Arbitraries.of("transformer", "transformer", "nested", "calm");
        Arbitrary<int[]> shape = Arbitraries.of(new int[] {8, 1}, new int[] {8, 2}, new int[] {16, 2}, new int[] {16, 4},
                new int[] {32, 4}, new int[] {12, 3});                        // (width, heads); 12/3 = 4 is even
        Arbitrary<Integer> layers = Arbitraries.integers().between(1, 2);
        Arbitrary<Integer> context = Arbitraries.of(8, 16, 32);
        Arbitrary<Integer> batch = Arbitraries.integers().between(1, 6);
        Arbitrary<Double> lr = Arbitraries.of(1e-5, 1e-3, 0.05, 0.5, 0.99);
        Arbitrary<Integer> maxDocs = Arbitraries.of(0, 0, 3, 5, 1, 2);
        Arbitrary<String> device = Arbitraries.of("cpu", "auto", "cpu", "gpu", "gpu:3");
        Arbitrary<Integer> steps = Arbitraries.integers().between(1, 3);
        Arbitrary<String> prompt = Arbitraries.of("The Commission", "", " ", "Ünïcödé – ✓ 日本語", "\u0000\u0001", "x".repeat(300));
        Arbitrary<Double> temperature = Arbitraries.of(1.0, 0.5, 0.25, 0.7, 1e-3);
        Arbitrary<Integer> tokens = Arbitraries.of(1, 5, 40);
        Arbitrary<Boolean> exact = Arbitraries.of(true, false);
        List<Arbitrary<Object>> parts = List.of(kind.asGeneric(), shape.asGeneric(), layers.asGeneric(), context.asGeneric(),
                batch.asGeneric(), lr.asGeneric(), maxDocs.asGeneric(), device.asGeneric(), steps.asGeneric(),
                prompt.asGeneric(), temperature.asGeneric(), tokens.asGeneric(), exact.asGeneric());
        return Combinators.combine(parts).as(v -> {
                    int[] wh = (int[]) v.get(1);
                    return new Run((String) v.get(0), wh[0], wh[1], (Integer) v.get(2), (Integer) v.get(3), (Integer) v.get(4),
                            (Double) v.get(5), (Integer) v.get(6), (String) v.get(7), (Integer) v.get(8), (String) v.get(9),
                            (Double) v.get(10), (Integer) v.get(11), (Boolean) v.get(12));
                });
    }
}
