package org.calmnest.lib.calm;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AutoencoderIOTest {

    private static final String TEXT = "Resumption of the session: héllo, wörld!";

    @Test
    void saveAndLoadGiveIdenticalReconstructions(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/ae.bin");
        AutoencoderConfig c = AutoencoderConfig.tiny().withChunkSize(2).withLatentDim(7);
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(c, Tokenizers.bytes(), 21)) {
            AeTestSupport.train(ae, 5, 16, AeTestSupport.corpus(16, 2, 26, 1), 3e-3f, 1); // not the init values
            ae.save(file);
            float[][] z = ae.encodeText(TEXT);
            try (ChunkAutoencoder back = ChunkAutoencoder.load(file, Tokenizers.bytes(), 2);
                 ChunkAutoencoder rebuilt = ChunkAutoencoder.load(file)) {
                assertThat(back.config()).isEqualTo(c);
                assertThat(back.encodeText(TEXT)).isDeepEqualTo(z);
                assertThat(back.decodeIds(z)).isDeepEqualTo(ae.decodeIds(z));
                assertThat(rebuilt.tokenizer().name()).isEqualTo("bytes");
                assertThat(rebuilt.encodeTextPosterior(TEXT).sigma()).isDeepEqualTo(ae.encodeTextPosterior(TEXT).sigma());
            }
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ae.bin"); // no temp files left
        }
    }

    @Test
    void loadingWithAnotherTokenizerOrChunkSizeFailsClearly(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ae.bin");
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 22)) {
            ae.save(file);
        }
        assertThatThrownBy(() -> ChunkAutoencoder.load(file, new OtherVocab()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocabulary 260").hasMessageContaining("vocabulary 300");
        assertThatThrownBy(() -> ChunkAutoencoder.load(file, Tokenizers.bytes(), 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("K = 4").hasMessageContaining("K = 8");
        Path junk = dir.resolve("junk.bin");
        Files.writeString(junk, "not an autoencoder");
        assertThatThrownBy(() -> ChunkAutoencoder.load(junk)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a saved autoencoder");
        assertThatThrownBy(() -> ChunkAutoencoder.load(dir.resolve("missing.bin"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void badInputIsRejectedWithTheFix() {
        assertThatThrownBy(() -> AutoencoderConfig.tiny().withLatentDim(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latentDim = 0");
        assertThatThrownBy(() -> AutoencoderConfig.tiny().withDropLatent(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropLatent = 1.0").hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> AutoencoderConfig.tiny().withDropToken(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dropToken = -0.1");
        assertThatThrownBy(() -> AutoencoderConfig.tiny().withChunkSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkSize = 0");
        assertThatThrownBy(() -> AutoencoderConfig.tiny().withKlClip(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("klClip = -1.0");
        try (ChunkAutoencoder ae = ChunkAutoencoder.create(AutoencoderConfig.tiny(), Tokenizers.bytes(), 23);
             NDManager m = TorchRuntime.engine().newBaseManager()) {
            assertThatThrownBy(() -> ae.encodeText("")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("0 chunks");
            assertThatThrownBy(() -> ae.decodeText(new float[][] {new float[3]})).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("size l = 16");
            assertThatThrownBy(() -> ae.loss(m, new org.calmnest.lib.train.TrainBatch(new int[] {1, 2, 3}, 1, 3, 3, 3), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("K = 4");
            assertThatThrownBy(() -> ae.loss(m, new org.calmnest.lib.train.TrainBatch(new int[] {1, 2, 3, 999}, 1, 4, 4, 4), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 999");
        }
    }

    @Test
    void configRoundTripsThroughJson() {
        AutoencoderConfig c = AutoencoderConfig.small().withoutKlClip().withChunkSize(8).withLatentDim(256);
        assertThat(AutoencoderConfig.fromJson(c.toJson())).isEqualTo(c);
        assertThatThrownBy(() -> AutoencoderConfig.fromJson(c.toJson().replace("\"latentDim\":256", "\"latentDim\":-2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latentDim = -2");
    }

    /** A stand-in tokenizer with a different vocabulary. */
    private static final class OtherVocab implements Tokenizer {
        public int vocabSize() { return 300; }
        public int pad() { return 256; }
        public int eos() { return 257; }
        public int mask() { return 258; }
        public int bos() { return 259; }
        public int[] encode(String text) { return Tokenizers.bytes().encode(text); }
        public String decode(int[] ids) { return Tokenizers.bytes().decode(ids); }
        public String name() { return "other"; }
        public void save(Path file) { throw new UnsupportedOperationException(); }
    }
}
