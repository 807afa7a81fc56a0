package org.calmnest.dsl.result;

import org.calmnest.dsl.TinyCorpus;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.calmnest.dsl.Calmnest.*;

/** The device a spec names is where its parameters live; a GPU that is not there fails clearly, before any data is read. */
class DeviceTest {

    static final Corpus DE = Corpus.ofTexts("tiny-de", List.of("Die Kommission unterstützt den Bericht.",
            "Der Rat nimmt den Haushalt an.", "Das Parlament begrüßt den Vorschlag."));

    @Test
    void cpuSpecsTrainOnTheCpu() {
        Corpus c = TinyCorpus.get();
        try (TrainedTransformer t = transformer().width(8).heads(2).layers(1).context(8).evalStride(2).batch(2)
                .maxDocuments(5).device("cpu").train(c, steps(1));
             TrainedAutoencoder ae = calm().chunk(2).latent(4).device("cpu").autoencoder().width(8).batch(8)
                     .maxDocuments(5).train(c, steps(1));
             TrainedCalm lm = calm().chunk(2).autoencoder(ae).width(8).heads(2).layers(1).context(4).batch(2)
                     .energySamples(2).targetSamples(2).maxDocuments(5).device("cpu").train(c, steps(1));
             ContinualRun run = nested().levels(1, 2).width(8).heads(2).layers(1).levelInner(8).context(8).batch(2)
                     .maxDocuments(5).device("cpu").train(tasks(c, DE), stepsPerTask(1))) {
            assertThat(ae.spec().settings().device()).isEqualTo("cpu");
            assertThat(List.of(t.device(), ae.device(), lm.device(), run.device())).containsOnly("cpu()");
        }
    }

    @Test
    void aGpuThatIsNotThereFailsBeforeTraining() {
        assumeThat(TorchRuntime.engine().getGpuCount()).as("this check is for machines without a GPU").isZero();
        Corpus c = TinyCorpus.get();
        String noGpu = ": device \"gpu\": this engine sees 0 GPU(s); use \"cpu\" or \"auto\"";
        assertThatThrownBy(() -> transformer().device("gpu").train(c, steps(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("transformer().train(..)" + noGpu);
        assertThatThrownBy(() -> calm().autoencoder().device("gpu").train(c, steps(1)))
                .hasMessageStartingWith("calm().autoencoder().train(..)" + noGpu);
        assertThatThrownBy(() -> nested().device("gpu").train(tasks(c, DE), stepsPerTask(1)))
                .hasMessageStartingWith("nested().train(..)" + noGpu);
        try {
            device("gpu"); // the session default reaches specs created afterwards
            assertThatThrownBy(() -> transformer().train(c, steps(1))).hasMessageContaining(noGpu);
        } finally {
            device("auto");
        }
    }
}
