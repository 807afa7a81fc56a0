package org.calmnest.dsl.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

/** Stages in the wrong order give errors that say what to do, not stack traces of internals. */
class StageOrderTest {

    @Test
    void generateOrScoreBeforeTraining() {
        assertThatThrownBy(() -> transformer().generate("The")).isInstanceOf(IllegalStateException.class)
                .hasMessage("generate(..) on transformer(): the model is not trained yet; train it first, e.g. var lm ="
                        + " transformer().train(europarl(\"en\"), minutes(1)); then lm.generate(\"The Commission\")");
        assertThatThrownBy(() -> calm().generate("The", temperature(0.5))).hasMessageContaining("calm().autoencoder(ae).train(");
        assertThatThrownBy(() -> calm().brierLM()).hasMessageContaining("brierLM() on calm()").hasMessageContaining("then lm.brierLM()");
    }

    @Test
    void calmWithoutAutoencoderAndMismatchedChunk() {
        assertThatThrownBy(() -> calm().train(texts("a b", "c d", "e f"), steps(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the autoencoder is missing");
        assertThatThrownBy(() -> calm().autoencoder(null)).hasMessageContaining("ae is null")
                .hasMessageContaining("calm().autoencoder().train(corpus, minutes(1))");
        assertThatThrownBy(() -> calm().energySamples(1)).hasMessageContaining("energySamples = 1")
                .hasMessageContaining("two samples");
        assertThatThrownBy(() -> calm().context(1)).hasMessageContaining("context = 1");
        assertThatThrownBy(() -> calm().width(6).heads(4).validate()).hasMessageContaining("heads = 4");
    }
}
