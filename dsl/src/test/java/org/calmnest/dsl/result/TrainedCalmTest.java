package org.calmnest.dsl.result;

import org.calmnest.dsl.TinyCorpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

class TrainedCalmTest {

    @Test
    void aShortTwoStageChainGivesAUsableModelAndSavesAndLoads(@TempDir Path dir) {
        var corpus = TinyCorpus.get();
        var spec = calm().chunk(2).latent(4).width(8).heads(2).layers(1).context(4).batch(2).energySamples(2).targetSamples(2);
        try (TrainedAutoencoder ae = spec.autoencoder().width(8).batch(16).train(corpus, steps(2));
             TrainedCalm lm = spec.autoencoder(ae).train(corpus, steps(2))) {
            assertThat(lm.history().stepCount()).isEqualTo(2);
            assertThat(lm.generate("The", temperature(1).tokens(4))).isNotNull();
            assertThat(lm.toString()).doesNotContain("\n").startsWith("TrainedCalm[calm K=2");
            assertThat(ae.toString()).doesNotContain("\n").contains("% token accuracy").contains("dims collapsed");
            lm.save(dir);
            try (TrainedCalm back = TrainedCalm.load(dir, corpus)) {
                assertThat(back.history().stepCount()).isEqualTo(2);
                assertThat(back.evaluate().loss()).isCloseTo(lm.evaluate().loss(), org.assertj.core.data.Offset.offset(1e-4));
                assertThat(back.autoencoder().chunk()).isEqualTo(2);
            }
        }
    }

    @Test
    @Tag("slow")
    void twoStagesThenBrierGenerationAndComparison(@TempDir Path dir) {
        var corpus = TinyCorpus.get();
        var spec = calm().chunk(2).latent(8).width(16).heads(2).layers(1).context(8).batch(4).energySamples(2).targetSamples(4);
        assertThatThrownBy(() -> spec.train(corpus, steps(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the autoencoder is missing").hasMessageContaining("calm().autoencoder().train");
        try (TrainedAutoencoder ae = spec.autoencoder().width(16).batch(32).train(corpus, steps(15))) {
            assertThat(ae.chunk()).isEqualTo(2);
            assertThat(ae.latent()).isEqualTo(8);
            AeDiagnostics d = ae.diagnostics();
            assertThat(d.accuracyFromMean()).isBetween(0.0, 1.0);
            assertThat(d.collapsedDims()).isBetween(0, 8);
            assertThat(d.noiseAccuracy()).hasSize(AeDiagnostics.NOISE.length);
            assertThat(ae.robustness().getSeriesMap().get("token accuracy").getXData()).hasSize(AeDiagnostics.NOISE.length);
            assertThat(ae.encode("The Council")).hasNumberOfRows(6);
            assertThat(ae.reconstruct("The Council")).isNotNull();
            assertThatThrownBy(() -> ae.encode("")).hasMessageContaining("text is empty");
            assertThat(ae.mimeBundle()).containsKeys("text/plain", "text/html", "image/png");
            assertThat(ae.summary()).contains("dims collapsed");
            assertThat(ae.summary().split("\n").length).isLessThanOrEqualTo(15);

            assertThatThrownBy(() -> calm().autoencoder(ae).validate()).hasMessageContaining("chunk = 4")
                    .hasMessageContaining("trained with K = 2");
            try (TrainedCalm lm = spec.autoencoder(ae).train(corpus, steps(4))) {
                assertThat(lm.history().stepCount()).isEqualTo(4);
                assertThat(lm.blockLength()).isEqualTo(16);
                BrierScore b = lm.brierLM();
                assertThat(b.brier()).hasSize(4);
                assertThat(b.positions()).isGreaterThan(0);
                assertThat(lm.generate("The", temperature(0.5).tokens(6))).isNotNull();
                assertThat(lm.generate("The", temperature(0.5).batch(20).tokens(4))).isNotNull();
                assertThat(lm.summary()).contains("frozen autoencoder");
                assertThatThrownBy(() -> ae.train(steps(1))).hasMessageContaining("frozen");

                try (TrainedTransformer base = transformer().width(16).layers(1).heads(2).context(16).evalStride(2).batch(4)
                        .train(corpus, sameFlopsAs(lm))) {
                    assertThat(base.trainingFlops()).isGreaterThanOrEqualTo(lm.trainingFlops());
                    Comparison c = compare(lm, base);
                    assertThat(c.caveats()).isEmpty();
                    assertThat(c.plot().getSeriesMap().keySet()).containsExactly(lm.name(), base.name());
                    // the same baseline twice (two baselines of one shape): distinct series, no XChart error
                    assertThat(compare(lm, base, base).plot().getSeriesMap().keySet())
                            .containsExactly(lm.name(), base.name() + " [1]", base.name() + " [2]");
                }
            }
        }
    }
}
