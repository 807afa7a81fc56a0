package org.calmnest.lib.reliability;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.CalmConfig;
import org.calmnest.lib.calm.CalmModel;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.calm.ChunkAutoencoderCodec;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.nested.CmsConfig;
import org.calmnest.lib.nested.HopeConfig;
import org.calmnest.lib.nested.NestedLm;
import org.calmnest.lib.nested.NestedLmConfig;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.train.MemoryEstimate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory pre-flight: parameter counts computed from configurations equal the counts of the
 * built models (known answers), and a run that cannot fit fails before allocating, naming the
 * estimate, the memory available and the fix.
 */
class MemoryEstimateTest {

    private static final BackboneConfig SMALL = new BackboneConfig(24, 2, 3, 40, 16, 10000);

    @Test
    void tokenLmParametersEqualTheBuiltModel() {
        TokenLmConfig c = new TokenLmConfig(ByteTokenizer.VOCAB_SIZE, -1, ByteTokenizer.EOS, SMALL);
        try (TokenLm lm = TokenLm.create(c, 1, Device.cpu())) {
            assertThat(MemoryEstimate.tokenLmParameters(c)).isEqualTo(lm.parameterCount());
        }
        // hand count for V = 10, d = 4, 1 layer, ffInner 6: 2*V*d + (4 d^2 + 3 d f + 2 d) + d
        TokenLmConfig hand = new TokenLmConfig(10, -1, 9, new BackboneConfig(4, 1, 1, 6, 8, 10000));
        assertThat(MemoryEstimate.tokenLmParameters(hand)).isEqualTo(80 + (64 + 72 + 8) + 4);
    }

    @Test
    void autoencoderAndCalmParametersEqualTheBuiltModels() {
        AutoencoderConfig ac = AutoencoderConfig.tiny().withChunkSize(3).withDim(12).withInner(20).withLatentDim(5);
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(ac, Tokenizers.bytes(), 2, Device.cpu())) {
            int vocab = Tokenizers.bytes().vocabSize();
            assertThat(MemoryEstimate.autoencoderParameters(ac, vocab)).isEqualTo(ae.parameterCount());
            CalmConfig cc = new CalmConfig(SMALL, 3, 5, vocab, 2, 7, 4, 8, 1.0);
            try (CalmModel calm = CalmModel.create(cc, ChunkAutoencoderCodec.of(ae), 3, Device.cpu())) {
                assertThat(MemoryEstimate.calmParameters(cc)).isEqualTo(calm.parameterCount());
            }
        }
    }

    @Test
    void nestedParametersEqualTheBuiltModelsOfEveryMixer() {
        NestedLmConfig attention = new NestedLmConfig(16, 0, SMALL, NestedLmConfig.Mixer.ATTENTION, CmsConfig.of(8, 1, 4), true, null);
        NestedLmConfig plain = new NestedLmConfig(16, 0, SMALL, NestedLmConfig.Mixer.ATTENTION, null, false, null);
        NestedLmConfig hope = new NestedLmConfig(16, 0, SMALL, NestedLmConfig.Mixer.HOPE, CmsConfig.of(8, 1, 4), true,
                new HopeConfig(3, 5, 4, 0.1, 3));
        for (NestedLmConfig c : new NestedLmConfig[] {attention, plain, hope}) {
            try (NestedLm lm = new NestedLm(c, 1)) {
                assertThat(MemoryEstimate.nestedParameters(c)).as(c.mixer() + " cms " + (c.cms() != null))
                        .isEqualTo(lm.parameterCount());
            }
        }
    }

    @Test
    void theEstimateCountsWeightsGradientsAdamAndActivations() {
        MemoryEstimate e = new MemoryEstimate("m", 1000, 500, 2000);
        assertThat(e.parameterBytes()).isEqualTo(4.0 * (4 * 1000 + 500));
        assertThat(e.activationBytes()).isEqualTo(1.25 * 4.0 * 2000);
        assertThat(e.bytes()).isEqualTo(18_000 + 10_000);
        assertThatThrownBy(() -> new MemoryEstimate("m", -1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trainable = -1");
    }

    @Test
    void aModelThatCannotFitFailsNamingEstimateMemoryAndFix() {
        // width 8192 x 128 layers: ~103 G parameters, 1.5 TiB with gradients and AdamW
        TokenLmConfig huge = new TokenLmConfig(256, -1, 255, new BackboneConfig(8192, 128, 64, 21848, 64, 10000));
        MemoryEstimate e = MemoryEstimate.tokenLm("transformer() d=8192 L=128", huge, 16);
        assertThat(e.trainable()).isGreaterThan(100_000_000_000L);
        assertThatThrownBy(() -> e.requireFits(Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("transformer() d=8192 L=128 does not fit")
                .hasMessageContaining("TiB")
                .hasMessageContaining("available")
                .hasMessageContaining("Java heap does not count")
                .hasMessageContaining("smaller .width(..) or fewer .layers(..)");
        // activations dominate: a tiny model on a huge batch x context
        TokenLmConfig longContext = new TokenLmConfig(256, -1, 255, new BackboneConfig(64, 2, 4, 176, 65_536, 10000));
        assertThatThrownBy(() -> MemoryEstimate.tokenLm("transformer() T=65536", longContext, 4096).requireFits(Device.cpu()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smaller .batch(..) or .context(..)");
    }

    @Test
    void aTinyModelFits() {
        TokenLmConfig c = new TokenLmConfig(ByteTokenizer.VOCAB_SIZE, -1, ByteTokenizer.EOS, BackboneConfig.tiny());
        MemoryEstimate e = MemoryEstimate.tokenLm("tiny", c, 16);
        assertThat(e.requireFits(Device.cpu())).isSameAs(e);
        assertThat(e.bytes()).isBetween(1e6, 1e9);
    }
}
