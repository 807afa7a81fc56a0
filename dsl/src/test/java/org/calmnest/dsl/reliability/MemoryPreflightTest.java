package org.calmnest.dsl.reliability;

import org.calmnest.dsl.Calmnest;
import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.result.TrainedAutoencoder;
import org.calmnest.lib.data.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DSL specs that are in range but cannot fit into memory fail at {@code train(..)} before the
 * model is allocated: quickly, without the resident memory growing, with the project's message
 * (estimate, memory available, fix).
 */
class MemoryPreflightTest {

    @Test
    void hugeSpecsFailBeforeAllocating() throws Exception {
        Corpus corpus = TinyCorpus.get();
        try (TrainedAutoencoder ae = Calmnest.calm().autoencoder().batch(8).train(corpus, Calmnest.steps(1))) {
            long rssBefore = NativeMemorySoakTest.vmRssKib();
            long t0 = System.nanoTime();
            refused(() -> Calmnest.transformer().width(8192).layers(128).train(corpus, Calmnest.steps(1)),
                    "transformer()", "smaller .width(..) or fewer .layers(..)");
            refused(() -> Calmnest.transformer().context(65_536).batch(4096).train(corpus, Calmnest.steps(1)),
                    "transformer()", "smaller .batch(..) or .context(..)");
            Corpus second = Corpus.ofTexts("tiny-2", corpus.documents());
            refused(() -> Calmnest.nested().width(8192).layers(128).train(
                    Calmnest.tasks(corpus, second), Calmnest.stepsPerTask(1)), "nested()", "fewer .layers(..)");
            refused(() -> Calmnest.calm().autoencoder().width(8192).inner(32768).batch(65_536).train(corpus, Calmnest.steps(1)),
                    "autoencoder()", "Fix:");
            refused(() -> Calmnest.calm().autoencoder(ae).width(8192).layers(128).train(corpus, Calmnest.steps(1)),
                    "calm()", "fewer .layers(..)");
            double seconds = (System.nanoTime() - t0) / 1e9;
            long grownMib = (NativeMemorySoakTest.vmRssKib() - rssBefore) / 1024;
            assertThat(seconds).as("refused before any allocation or training").isLessThan(30);
            assertThat(grownMib).as("no model was allocated (a 103 G-parameter model would be 384 GiB)").isLessThan(256);
        }
    }

    private static void refused(Executable call, String model, String fix) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(model)
                .hasMessageContaining("does not fit")
                .hasMessageContaining("available")
                .hasMessageContaining(fix);
    }
}
