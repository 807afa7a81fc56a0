package org.calmnest.lib.calm;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.calmnest.lib.nn.BackboneConfig;

/**
 * Shape of a CALM language model (Shao et al. 2025; CALM.md §2): the backbone runs over chunk
 * positions, each input chunk of K token ids is embedded with the model's own (V, d) table,
 * flattened and compressed by {@code Linear(K d -> 2d) -> SiLU -> Linear(2d -> d) -> LayerNorm};
 * the energy head predicts the next chunk's latent vector of size l, trained with the energy
 * score of N model samples against M posterior samples. K, l and V must equal the frozen
 * autoencoder's.
 *
 * @param backbone      the Transformer over chunk positions (its context counts chunks)
 * @param chunkSize     K, tokens per chunk (the autoencoder's)
 * @param latentDim     l, the autoencoder's latent size
 * @param vocabSize     V, the tokenizer's (and autoencoder's) vocabulary
 * @param headBlocks    B, residual blocks of the energy head (reference: layers / 4, at least 1)
 * @param noiseDim      size of the uniform noise of the head (64)
 * @param samples       N, head samples per position in the loss (8; >= 2)
 * @param targetSamples M, posterior samples per position in the loss (100)
 * @param alpha         energy-score exponent in (0, 2] (1)
 */
public record CalmConfig(BackboneConfig backbone, int chunkSize, int latentDim, int vocabSize,
                         int headBlocks, int noiseDim, int samples, int targetSamples, double alpha) {

    private static final Gson GSON = new Gson();

    public CalmConfig {
        if (backbone == null) {
            throw new IllegalArgumentException("CalmConfig.backbone is null: use e.g. BackboneConfig.small()");
        }
        require(chunkSize >= 1, "chunkSize", chunkSize, "use K >= 1 (the autoencoder's chunk size, e.g. 4)");
        require(latentDim >= 1, "latentDim", latentDim, "use the autoencoder's latent size l >= 1 (e.g. 64)");
        require(vocabSize >= 2, "vocabSize", vocabSize, "use the tokenizer's vocabSize()");
        require(headBlocks >= 1, "headBlocks", headBlocks, "use at least 1 residual block (about layers / 4)");
        require(noiseDim >= 1, "noiseDim", noiseDim, "use a positive noise size such as 64");
        // the loss record validates N, M and alpha with its own messages
        new EnergyScoreLoss(samples, targetSamples, alpha, 1e-6);
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("CalmConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /**
     * The CPU configuration of CALM.md §6 around a given backbone: B = max(1, layers / 4), 64-d
     * noise, N = 8, M = 100, alpha = 1.
     */
    public static CalmConfig of(BackboneConfig backbone, int chunkSize, int latentDim, int vocabSize) {
        return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, Math.max(1, backbone.layers() / 4),
                64, 8, 100, 1.0);
    }

    /** A unit-test sized model: d = 32, 2 layers, 2 heads, context 32 chunks, N = 4, M = 16. */
    public static CalmConfig tiny(int chunkSize, int latentDim, int vocabSize) {
        return new CalmConfig(new BackboneConfig(32, 2, 2, 88, 32, 10000), chunkSize, latentDim, vocabSize,
                1, 64, 4, 16, 1.0);
    }

    /** CALM.md §6: d = 256, 4 layers, 4 heads, SwiGLU 688, context 128 chunks, B = 1, N = 8, M = 100. */
    public static CalmConfig small(int chunkSize, int latentDim, int vocabSize) {
        return of(BackboneConfig.small(), chunkSize, latentDim, vocabSize);
    }

    /** The loss this configuration trains with. */
    public EnergyScoreLoss loss() {
        return new EnergyScoreLoss(samples, targetSamples, alpha, 1e-6);
    }

    public CalmConfig withBackbone(BackboneConfig v) { return new CalmConfig(v, chunkSize, latentDim, vocabSize, headBlocks, noiseDim, samples, targetSamples, alpha); }
    public CalmConfig withHeadBlocks(int v) { return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, v, noiseDim, samples, targetSamples, alpha); }
    public CalmConfig withNoiseDim(int v) { return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, headBlocks, v, samples, targetSamples, alpha); }
    public CalmConfig withSamples(int v) { return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, headBlocks, noiseDim, v, targetSamples, alpha); }
    public CalmConfig withTargetSamples(int v) { return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, headBlocks, noiseDim, samples, v, alpha); }
    public CalmConfig withAlpha(double v) { return new CalmConfig(backbone, chunkSize, latentDim, vocabSize, headBlocks, noiseDim, samples, targetSamples, v); }

    /** The record as JSON (the backbone nested). */
    public String toJson() {
        return GSON.toJson(this);
    }

    /** Reads {@link #toJson()}, validating as the constructor does. */
    public static CalmConfig fromJson(String json) {
        JsonObject o = GSON.fromJson(json, JsonObject.class);
        JsonObject b = o.getAsJsonObject("backbone");
        BackboneConfig bc = new BackboneConfig(b.get("d").getAsInt(), b.get("layers").getAsInt(), b.get("heads").getAsInt(),
                b.get("ffInner").getAsInt(), b.get("context").getAsInt(), b.get("ropeTheta").getAsDouble());
        return new CalmConfig(bc, o.get("chunkSize").getAsInt(), o.get("latentDim").getAsInt(), o.get("vocabSize").getAsInt(),
                o.get("headBlocks").getAsInt(), o.get("noiseDim").getAsInt(), o.get("samples").getAsInt(),
                o.get("targetSamples").getAsInt(), o.get("alpha").getAsDouble());
    }

    @Override
    public String toString() {
        BackboneConfig b = backbone;
        return "CalmConfig(K=" + chunkSize + ", l=" + latentDim + ", V=" + vocabSize + ", d=" + b.d() + ", layers="
                + b.layers() + ", heads=" + b.heads() + ", context=" + b.context() + " chunks, head B=" + headBlocks
                + ", N=" + samples + ", M=" + targetSamples + ", alpha=" + alpha + ")";
    }
}
