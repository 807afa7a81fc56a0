package org.calmnest.dsl.result;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.calm.LatentCodec;

/**
 * The frozen chunk autoencoder as the CALM language model sees it: posterior of a chunk (the
 * training target) and argmax decoding (generation, BrierLM). Everything is computed in the
 * caller's manager and without gradient.
 */
final class AeCodec implements LatentCodec {

    private final ChunkAutoencoder ae;
    private final int vocab;

    AeCodec(ChunkAutoencoder ae) {
        this.ae = ae;
        this.vocab = ae.tokenizer().vocabSize();
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
        return vocab;
    }

    @Override
    public NDArray[] posterior(NDArray ids) {
        NDList st = ae.encode(ids.getManager(), ids); // (P, l) each
        return new NDArray[] {st.get(0).stopGradient(), st.get(1).stopGradient()};
    }

    @Override
    public NDArray decode(NDArray z) {
        return ae.decode(z.getManager(), z); // (n, K) int64
    }

    /** Forward FLOPs (2 per multiply-accumulate) of the encoder for one chunk: CALM.md §1 layer by layer. */
    @Override
    public double encodeFlopsPerChunk() {
        var c = ae.config();
        double ff = 3.0 * c.dim() * c.inner();                          // one SwiGLU
        double k = c.chunkSize();
        return 2 * (k * c.layersPerStage() * ff                         // per-token AeLayers
                + k * c.dim() * c.dim()                                  // merge K*d -> d
                + c.layersPerStage() * ff                                // per-chunk AeLayers
                + (double) c.dim() * 2 * c.latentDim());                 // d -> (mean, log sigma)
    }

    /** Forward FLOPs of the decoder for one latent vector, the tied logits over V included. */
    @Override
    public double decodeFlopsPerChunk() {
        var c = ae.config();
        double ff = 3.0 * c.dim() * c.inner();
        double k = c.chunkSize();
        return 2 * ((double) c.latentDim() * c.dim()                     // l -> d
                + c.layersPerStage() * ff                                // per-chunk AeLayers
                + k * c.dim() * c.dim()                                  // d -> K*d
                + k * c.layersPerStage() * ff                            // per-token AeLayers
                + k * c.dim() * (double) vocab);                         // tied logits
    }
}
