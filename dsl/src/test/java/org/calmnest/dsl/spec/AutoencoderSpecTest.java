package org.calmnest.dsl.spec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AutoencoderSpecTest {

    @Test
    void everyCallReturnsANewSpecAndLeavesTheOldOneAlone() {
        AutoencoderSpec a = AutoencoderSpec.tiny();
        AutoencoderSpec b = a.chunk(2).latent(16).width(32).dropToken(0.1).dropLatent(0.05).klWeight(0.01)
                .klClip(0.25).batch(8).seed(7).learningRate(2e-3).device("cpu").evalEvery(5).maxDocuments(10)
                .tokenizer(TokenizerSpec.bpe(300));
        assertThat(a).isEqualTo(AutoencoderSpec.tiny());
        assertThat(b).isNotSameAs(a);
        assertThat(b.chunk()).isEqualTo(2);
        assertThat(b.latent()).isEqualTo(16);
        assertThat(b.width()).isEqualTo(32);
        assertThat(b.inner()).isZero();
        assertThat(b.innerWidth()).isEqualTo(80);
        assertThat(a.inner(100).width(32)).isEqualTo(a.width(32).inner(100));
        assertThat(a.inner(100).width(32).innerWidth()).isEqualTo(100);
        assertThat(b.settings().seed()).isEqualTo(7);
        assertThat(b.settings().tokenizer()).isEqualTo(TokenizerSpec.bpe(300));
        assertThat(a.noKlClip().klClip()).isZero();
        assertThat(a.small().width()).isEqualTo(256);
        assertThat(a.paper().latent()).isEqualTo(128);
        assertThat(a.toString()).doesNotContain("\n").contains("K=4");
    }

    @Test
    void validationMessages() {
        AutoencoderSpec a = AutoencoderSpec.tiny();
        assertThatThrownBy(() -> a.chunk(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calm().autoencoder(): chunk = 0 is out of range; use .chunk(k) with 1 <= k <= 64 (4 in the paper)");
        assertThatThrownBy(() -> a.latent(0)).hasMessageContaining("latent = 0").hasMessageContaining(".latent(l)");
        assertThatThrownBy(() -> a.width(4)).hasMessageContaining("width = 4").hasMessageContaining(".width(d)");
        assertThatThrownBy(() -> a.inner(2)).hasMessageContaining("inner = 2");
        assertThatThrownBy(() -> a.dropToken(1)).hasMessageContaining("dropToken = 1.0").hasMessageContaining("0 <= p < 1");
        assertThatThrownBy(() -> a.dropLatent(-0.1)).hasMessageContaining("dropLatent = -0.1");
        assertThatThrownBy(() -> a.klWeight(-1)).hasMessageContaining("klWeight = -1.0");
        assertThatThrownBy(() -> a.klClip(Double.NaN)).hasMessageContaining("klClip = NaN");
        assertThatThrownBy(() -> a.learningRate(0)).hasMessageContaining("learningRate = 0.0").hasMessageContaining("3e-4");
        assertThatThrownBy(() -> a.batch(0)).hasMessageContaining("batch = 0").hasMessageContaining(".batch(n)");
        assertThatThrownBy(() -> a.device("tpu")).hasMessageContaining("device = tpu");
        assertThatThrownBy(() -> a.evalEvery(-2)).hasMessageContaining("evalEvery = -2");
        assertThatThrownBy(() -> a.maxDocuments(-1)).hasMessageContaining("maxDocuments = -1");
        assertThatThrownBy(() -> a.tokenizer(null)).hasMessageContaining("tokenizer is null");
    }
}
