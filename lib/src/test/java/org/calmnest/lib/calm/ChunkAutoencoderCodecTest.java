package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

class ChunkAutoencoderCodecTest {

    private final Tokenizer tok = Tokenizers.bytes();

    @Test
    void theRealAutoencoderServesAsAFrozenCodec() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), tok, 1)) {
            ChunkAutoencoderCodec codec = ChunkAutoencoderCodec.of(ae);
            assertThat(ae.isFrozen()).isTrue();
            int k = codec.chunkSize();
            int l = codec.latentDim();
            assertThat(codec.vocabSize()).isEqualTo(tok.vocabSize());
            assertThat(codec.encodeFlopsPerChunk()).isPositive();
            assertThat(codec.decodeFlopsPerChunk()).isGreaterThan(2.0 * k * ae.config().dim() * tok.vocabSize());
            try (CalmModel model = CalmModel.create(CalmConfig.tiny(k, l, tok.vocabSize()), codec, 3);
                 NDManager m = TorchRuntime.engine().newBaseManager()) {
                int[] ids = new int[2 * 4 * k];
                Random r = new Random(2);
                for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(256);
                TrainBatch b = new TrainBatch(ids, 2, 4 * k, ids.length, ids.length);
                NDArray[] post = codec.posterior(m.create(new long[] {1, 2, 3, 4}, new Shape(1, k)));
                assertThat(post[0].getShape()).isEqualTo(new Shape(1, l));
                assertThat(post[1].min().getFloat()).isPositive(); // sigma = exp(log sigma)
                assertThat(codec.decode(post[0]).getShape()).isEqualTo(new Shape(1, k));
                try (GradientCollector gc = TorchRuntime.engine().newGradientCollector()) {
                    NDArray loss = model.loss(m, b, true);
                    gc.backward(loss);
                    assertThat(loss.getFloat()).isFinite();
                }
                // the autoencoder's parameters are frozen: they do not even ask for gradients
                assertThat(ae.block().getParameters().values().stream().noneMatch(p -> p.getArray().hasGradient())).isTrue();
                assertThat(model.block().getParameters().values().stream().allMatch(p -> p.getArray().hasGradient())).isTrue();
            }
        }
    }

    @Test
    void aMismatchedAutoencoderIsRejected() {
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny().withChunkSize(2), tok, 1)) {
            ChunkAutoencoderCodec codec = ChunkAutoencoderCodec.of(ae);
            assertThatThrownBy(() -> CalmModel.create(CalmConfig.tiny(4, codec.latentDim(), tok.vocabSize()), codec, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk size K = 2");
            assertThatThrownBy(() -> CalmModel.create(CalmConfig.tiny(2, codec.latentDim(), 300), codec, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabulary V = 260");
        }
    }
}
