package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;

/**
 * What the CALM language model needs from its frozen chunk autoencoder: the posterior of a chunk
 * of K token ids (the training target) and the argmax decoding of a latent vector back to K ids
 * (generation and BrierLM). Implementations never let gradients flow into the autoencoder.
 * {@link ChunkAutoencoderCodec} adapts the real {@code ChunkAutoencoder}.
 */
public interface LatentCodec {

    /** K, tokens per chunk. */
    int chunkSize();

    /** l, size of a latent vector. */
    int latentDim();

    /** V, the vocabulary the ids come from (the tokenizer's vocabSize()). */
    int vocabSize();

    /**
     * Posterior of each chunk, computed in the manager of {@code ids} without gradient.
     *
     * @param ids (P, K) integer ids
     * @return {mean, sigma}, each (P, l)
     */
    NDArray[] posterior(NDArray ids);

    /**
     * Argmax decoding, in the manager of {@code z}.
     *
     * @param z (n, l) latent vectors
     * @return (n, K) ids as INT64
     */
    NDArray decode(NDArray z);

    /** Analytic forward FLOPs of encoding one chunk (mean and sigma). */
    double encodeFlopsPerChunk();

    /** Analytic forward FLOPs of decoding one latent vector to K ids (logits over V included). */
    double decodeFlopsPerChunk();
}
