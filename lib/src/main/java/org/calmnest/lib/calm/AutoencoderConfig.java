package org.calmnest.lib.calm;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

/**
 * Shape and training objective of the CALM chunk autoencoder (Shao et al. 2025, section 3.1).
 * The vocabulary comes from the tokenizer, not from here.
 *
 * <p>Objective per chunk of K ids: {@code loss = K * CE(decoder(z), ids) + klWeight * sum_i max(kl_i, klClip)}
 * with {@code z = dropLatent(mean + sigma * eps)}, the encoder reading ids where a fraction
 * {@code dropToken} was replaced by the MASK id, and
 * {@code kl_i = 0.5 (mean_i² + sigma_i² - 1) - log sigma_i}.
 *
 * @param chunkSize      K, tokens per chunk (>= 1; the paper uses 4)
 * @param dim            d, hidden width (>= 1)
 * @param inner          SwiGLU hidden width (>= 1)
 * @param latentDim      l, size of the latent vector (>= 1; the paper scales l ≈ 32 K)
 * @param layersPerStage AeLayers in each of the four stages (>= 1; the paper uses 1)
 * @param dropToken      fraction of input ids replaced by MASK during training, in [0, 1)
 * @param dropLatent     inverted-dropout rate on z during training, in [0, 1)
 * @param klWeight       weight of the clipped KL term (>= 0; 0.001 in the paper)
 * @param klClip         free bits per latent dimension (>= 0; 0.5 in the paper, 0 switches clipping off)
 * @param initStd        standard deviation of the normal initialisation of weights and the embedding (> 0)
 */
public record AutoencoderConfig(int chunkSize, int dim, int inner, int latentDim, int layersPerStage,
                                double dropToken, double dropLatent, double klWeight, double klClip,
                                double initStd) {

    private static final Gson GSON = new Gson();

    public AutoencoderConfig {
        require(chunkSize >= 1 && chunkSize <= 1024, "chunkSize", chunkSize, "use K >= 1 (the paper uses 4; 1, 2, 4, 8 are typical)");
        require(dim >= 1, "dim", dim, "use a hidden width >= 1, e.g. 256");
        require(inner >= 1, "inner", inner, "use a SwiGLU width >= 1, e.g. 2.5 * dim");
        require(latentDim >= 1, "latentDim", latentDim, "use l >= 1 (the paper uses l ≈ 32 * K, e.g. 128 for K = 4)");
        require(layersPerStage >= 1, "layersPerStage", layersPerStage, "use 1 or more AeLayers per stage");
        require(dropToken >= 0 && dropToken < 1, "dropToken", dropToken, "use a rate in [0, 1), e.g. 0.15");
        require(dropLatent >= 0 && dropLatent < 1, "dropLatent", dropLatent, "use a rate in [0, 1), e.g. 0.15");
        require(klWeight >= 0 && Double.isFinite(klWeight), "klWeight", klWeight, "use a finite weight >= 0, e.g. 0.001");
        require(klClip >= 0 && Double.isFinite(klClip), "klClip", klClip, "use free bits >= 0 per dimension, e.g. 0.5 (0 = no clipping)");
        require(initStd > 0 && Double.isFinite(initStd), "initStd", initStd, "use a small positive std such as 0.02");
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("AutoencoderConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** A ~60k-parameter autoencoder for unit tests (K=4, d=64, inner 128, l=16); learns toy data in seconds. */
    public static AutoencoderConfig tiny() {
        return new AutoencoderConfig(4, 64, 128, 16, 1, 0.15, 0.10, 1e-3, 0.5, 0.02);
    }

    /** The CPU configuration of CALM.md section 6: K=4, d=256, inner 640, l=64, dropout 0.10. */
    public static AutoencoderConfig small() {
        return new AutoencoderConfig(4, 256, 640, 64, 1, 0.15, 0.10, 1e-3, 0.5, 0.02);
    }

    /** The reference configuration: K=4, d=512, inner 1280, l=128, dropout 0.15. */
    public static AutoencoderConfig paper() {
        return new AutoencoderConfig(4, 512, 1280, 128, 1, 0.15, 0.15, 1e-3, 0.5, 0.02);
    }

    public AutoencoderConfig withChunkSize(int v) { return new AutoencoderConfig(v, dim, inner, latentDim, layersPerStage, dropToken, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withDim(int v) { return new AutoencoderConfig(chunkSize, v, inner, latentDim, layersPerStage, dropToken, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withInner(int v) { return new AutoencoderConfig(chunkSize, dim, v, latentDim, layersPerStage, dropToken, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withLatentDim(int v) { return new AutoencoderConfig(chunkSize, dim, inner, v, layersPerStage, dropToken, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withLayersPerStage(int v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, v, dropToken, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withDropToken(double v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, layersPerStage, v, dropLatent, klWeight, klClip, initStd); }
    public AutoencoderConfig withDropLatent(double v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, layersPerStage, dropToken, v, klWeight, klClip, initStd); }
    public AutoencoderConfig withKlWeight(double v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, layersPerStage, dropToken, dropLatent, v, klClip, initStd); }
    public AutoencoderConfig withKlClip(double v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, layersPerStage, dropToken, dropLatent, klWeight, v, initStd); }
    public AutoencoderConfig withInitStd(double v) { return new AutoencoderConfig(chunkSize, dim, inner, latentDim, layersPerStage, dropToken, dropLatent, klWeight, klClip, v); }

    /** The same model without free bits: the plain KL term (the paper's ablation). */
    public AutoencoderConfig withoutKlClip() {
        return withKlClip(0);
    }

    /**
     * Multiply-accumulates of one forward pass over one chunk, for a vocabulary of {@code vocab}
     * ids (the tied output projection included; norms, activations and the embedding lookup,
     * which are not matrix products, left out).
     */
    public long forwardMacsPerChunk(int vocab) {
        return encoderMacsPerChunk() + decoderMacsPerChunk(vocab);
    }

    /** Multiply-accumulates of encoding one chunk to (mean, log sigma). */
    public long encoderMacsPerChunk() {
        long ff = 3L * dim * inner;                       // one SwiGLU: gate, up, down
        long k = chunkSize;
        return k * layersPerStage * ff                     // AeLayers, per token
                + k * dim * dim                            // merge K*d -> d
                + layersPerStage * ff                      // AeLayers, per chunk
                + (long) dim * 2 * latentDim;              // d -> (mean, log sigma)
    }

    /** Multiply-accumulates of decoding one latent vector to K logit rows over {@code vocab} ids. */
    public long decoderMacsPerChunk(int vocab) {
        long ff = 3L * dim * inner;
        long k = chunkSize;
        return (long) latentDim * dim                      // l -> d
                + layersPerStage * ff                      // AeLayers, per chunk
                + (long) dim * k * dim                     // expand d -> K*d
                + k * layersPerStage * ff                  // AeLayers, per token
                + k * dim * (long) vocab;                  // tied logits
    }

    /** The record as JSON. */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Reads {@link #toJson()}; the values are validated as in the constructor. */
    public static AutoencoderConfig fromJson(String json) {
        try {
            AutoencoderConfig c = GSON.fromJson(json, AutoencoderConfig.class);
            if (c == null) {
                throw new JsonParseException("empty");
            }
            return c;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof IllegalArgumentException iae && t.getMessage() != null
                        && t.getMessage().startsWith("AutoencoderConfig.")) {
                    throw iae; // a value out of range: the constructor's message names the fix
                }
            }
            throw new IllegalArgumentException("AutoencoderConfig.fromJson: not an autoencoder config (" + e.getMessage()
                    + "); pass the JSON written by AutoencoderConfig.toJson", e);
        }
    }

    @Override
    public String toString() {
        return "AutoencoderConfig[K=" + chunkSize + ", d=" + dim + ", inner=" + inner + ", l=" + latentDim
                + ", layers=" + layersPerStage + ", dropToken=" + dropToken + ", dropLatent=" + dropLatent
                + ", klWeight=" + klWeight + ", klClip=" + klClip + "]";
    }
}
