package org.calmnest.dsl.result;

import org.calmnest.dsl.TinyCorpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

class TrainedTransformerTest {

    @Test
    void aShortRunGivesAUsableModel() {
        try (TrainedTransformer lm = transformer().width(16).layers(1).heads(2).context(16).batch(4)
                .tokenizer(bpe(300)).train(TinyCorpus.get(), steps(3))) {
            assertThat(lm.tokenizer().name()).startsWith("bpe");
            assertThat(lm.tokenizer().vocabSize()).isLessThanOrEqualTo(300);
            assertThat(lm.history().table().rowCount()).isEqualTo(3);
            assertThat(lm.history().evals().rowCount()).isEqualTo(1);
            assertThat(lm.generate("The", temperature(1).tokens(4))).isNotNull();
        }
    }

    /** JShell and the kernel run snippets on fresh threads, where PyTorch records gradients by default. */
    @Test
    void trainsAndContinuesOnFreshThreads() throws Exception {
        TrainedTransformer[] lm = new TrainedTransformer[1];
        Throwable[] error = new Throwable[1];
        Thread first = new Thread(() -> {
            try {
                lm[0] = transformer().width(16).layers(1).heads(2).context(16).batch(2).train(TinyCorpus.get(), steps(2));
            } catch (Throwable t) {
                error[0] = t;
            }
        });
        first.start();
        first.join();
        assertThat(error[0]).isNull();
        Thread second = new Thread(() -> {
            try {
                lm[0].train(steps(2));
                lm[0].brierLM();
            } catch (Throwable t) {
                error[0] = t;
            }
        });
        second.start();
        second.join();
        assertThat(error[0]).isNull();
        assertThat(lm[0].history().stepCount()).isEqualTo(4);
        lm[0].close();
    }

    @Test
    @Tag("slow")
    void trainsEvaluatesGeneratesContinuesSavesAndLoads(@TempDir Path dir) {
        var corpus = TinyCorpus.get();
        var spec = transformer().width(32).layers(1).heads(2).context(32).batch(8).evalEvery(10).seed(3);
        try (TrainedTransformer lm = spec.train(corpus, steps(20))) {
            History h = lm.history();
            assertThat(h.stepCount()).isEqualTo(20);
            assertThat(h.table().rowCount()).isEqualTo(20);
            assertThat(h.evals().rowCount()).isGreaterThanOrEqualTo(2);
            assertThat(h.lastLoss()).isLessThan(h.steps().get(0).loss());
            assertThat(lm.trainingFlops()).isGreaterThan(0);
            assertThat(sameFlopsAs(lm).flops()).isEqualTo(lm.trainingFlops());

            BrierScore b = lm.brierLM();
            assertThat(b.brier()).hasSize(4);
            assertThat(b.positions()).isGreaterThan(0);
            assertThat(lm.brierLM()).isSameAs(b);

            String text = lm.generate("The Commission", temperature(0.5).tokens(12));
            assertThat(text).isNotNull();
            assertThatThrownBy(() -> lm.generate("")).hasMessageContaining("prompt is empty");
            assertThatThrownBy(() -> lm.generate("x".repeat(100))).hasMessageContaining("the prompt has 100 tokens")
                    .hasMessageContaining("31");

            assertThat(lm.toString()).doesNotContain("\n").contains("20 steps");
            assertThat(lm.summary().split("\n").length).isLessThanOrEqualTo(15);
            assertThat(lm.mimeBundle()).containsKeys("text/plain", "text/html", "image/png");

            try (TrainedTransformer other = spec.width(16).train(corpus, steps(4))) {
                Comparison c = compare(lm, other);
                assertThat(c.table().rowCount()).isEqualTo(2);
                assertThat(c.table().columnNames()).contains("model", "trainingFlops", "BrierLM", "Brier1", "Brier4");
                assertThat(c.scores().get(0)).isSameAs(b);
                var chart = c.plot();
                assertThat(chart.getSeriesMap().keySet()).containsExactly(lm.name(), other.name());
                assertThat(chart.getSeriesMap().get(lm.name()).getXData()).containsExactly(lm.trainingFlops());
                assertThat(c.caveats()).isEmpty();
                assertThat(c.toString()).doesNotContain("\n");
                assertThat(c.mimeBundle()).containsKeys("text/html", "image/png");
                assertThatThrownBy(() -> compare(lm)).hasMessageContaining("at least two trained models");
            }

            lm.save(dir);
            assertThat(Files.exists(dir.resolve("checkpoint.bin"))).isTrue();
            lm.train(steps(5));
            assertThat(lm.history().stepCount()).isEqualTo(25);
            assertThat(lm.brierLM()).isNotSameAs(b);

            try (TrainedTransformer back = TrainedTransformer.load(dir, corpus)) {
                assertThat(back.history().stepCount()).isEqualTo(20);
                assertThat(back.evaluate().loss()).isCloseTo(h.lastValidationLoss(), org.assertj.core.data.Offset.offset(1e-4));
                back.train(steps(5));
                assertThat(back.history().stepCount()).isEqualTo(25);
                // resumed training repeats the uninterrupted run exactly (Trainer seeds step s from (seed, s))
                assertThat(back.history().lastLoss()).isCloseTo(lm.history().lastLoss(), org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> transformer().train(null, steps(1))).hasMessageContaining("corpus is null");
        assertThatThrownBy(() -> transformer().width(30).heads(4).validate()).hasMessageContaining("heads = 4")
                .hasMessageContaining("whole, even number");
        assertThatThrownBy(() -> transformer().context(30).validate()).hasMessageContaining("context = 30 and evalStride = 4")
                .hasMessageContaining("a multiple of evalStride");
        assertThatThrownBy(() -> transformer().width(30).train(TinyCorpus.get(), steps(1))).hasMessageContaining("heads = 4");
        assertThatThrownBy(() -> transformer().layers(0)).hasMessageContaining("layers = 0");
        assertThatThrownBy(() -> TrainedTransformer.load(Path.of("/no/such/dir"), TinyCorpus.get()))
                .hasMessageContaining("does not exist").hasMessageContaining("save(..)");
    }
}
