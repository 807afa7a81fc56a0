package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * The real {@link ChunkAutoencoder} seen as the CALM language model's {@link LatentCodec}. Creating
 * the adapter freezes the autoencoder (no gradients reach it while the LM trains); it stays the
 * caller's to close.
 */
public final class ChunkAutoencoderCodec implements LatentCodec {

    private final ChunkAutoencoder ae;

    public ChunkAutoencoderCodec(ChunkAutoencoder ae) {
        if (ae == null) {
            throw new IllegalArgumentException("ChunkAutoencoderCodec: the autoencoder is null; train or load one first");
        }
        ae.freeze();
        this.ae = ae;
    }

    /** Freezes {@code ae} and adapts it. */
    public static ChunkAutoencoderCodec of(ChunkAutoencoder ae) {
        return new ChunkAutoencoderCodec(ae);
    }

    public ChunkAutoencoder autoencoder() {
        return ae;
    }

    @Override
    public int chunkSize() {
        return ae.chunkSize();
    }

    @Override
    public int latentDim() {
        return ae.latentDim();
    }

    @Override
    public int vocabSize() {
        return ae.tokenizer().vocabSize();
    }

    @Override
    public NDArray[] posterior(NDArray ids) {
        NDList st = ae.encode(ids.getManager(), ids); // mean, sigma: (P, l)
        return new NDArray[] {st.get(0).stopGradient(), st.get(1).stopGradient()};
    }

    @Override
    public NDArray decode(NDArray z) {
        return ae.decode(z.getManager(), z); // (n, K) int64
    }

    /** Encoder: per token AeLayers, the K d -> d merge, per chunk AeLayers, d -> 2l (2 FLOPs per MAC). */
    @Override
    public double encodeFlopsPerChunk() {
        AutoencoderConfig c = ae.config();
        double ff = 3.0 * c.dim() * c.inner();
        double k = c.chunkSize();
        return 2 * (k * c.layersPerStage() * ff + k * c.dim() * c.dim() + c.layersPerStage() * ff
                + (double) c.dim() * 2 * c.latentDim());
    }

    /** Decoder: l -> d, per chunk AeLayers, d -> K d, per token AeLayers, tied logits over V. */
    @Override
    public double decodeFlopsPerChunk() {
        AutoencoderConfig c = ae.config();
        double ff = 3.0 * c.dim() * c.inner();
        double k = c.chunkSize();
        return 2 * ((double) c.latentDim() * c.dim() + c.layersPerStage() * ff + k * c.dim() * c.dim()
                + k * c.layersPerStage() * ff + k * c.dim() * vocabSize());
    }
}
