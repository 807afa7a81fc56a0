package org.calmnest.lib.nn;

/**
 * Shape of the shared decoder-only Transformer (RoPE, RMSNorm, SwiGLU, causal attention) used
 * by CALM (over chunk vectors) and by the discrete baseline (over tokens).
 *
 * @param d         model width
 * @param layers    number of Transformer blocks
 * @param heads     attention heads; {@code d / heads} must be even (RoPE rotates pairs)
 * @param ffInner   SwiGLU inner width (about 2.7 d)
 * @param context   longest sequence the model attends over (positions), cache capacity
 * @param ropeTheta RoPE base (10000 in Llama)
 */
public record BackboneConfig(int d, int layers, int heads, int ffInner, int context, double ropeTheta) {

    public BackboneConfig {
        require(d >= 2, "d", d, "use a width of at least 2, e.g. 256");
        require(layers >= 1, "layers", layers, "use at least 1 block");
        require(heads >= 1, "heads", heads, "use at least 1 head");
        require(d % heads == 0, "heads", heads, "d = " + d + " must be divisible by heads; choose heads dividing d");
        require((d / heads) % 2 == 0, "heads", heads,
                "the head width d / heads = " + (d / heads) + " must be even for RoPE; change d or heads");
        require(ffInner >= 1, "ffInner", ffInner, "use a positive SwiGLU width, e.g. about 2.7 * d");
        require(context >= 1, "context", context, "use a positive context length, e.g. 128");
        require(ropeTheta > 1 && Double.isFinite(ropeTheta), "ropeTheta", ropeTheta, "use a finite base > 1, e.g. 10000");
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("BackboneConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** Width of one head. */
    public int headDim() {
        return d / heads;
    }

    /** A few-second toy: d = 64, 2 layers, 4 heads, context 64. */
    public static BackboneConfig tiny() {
        return new BackboneConfig(64, 2, 4, 176, 64, 10000);
    }

    /** The CPU configuration of CALM.md §6: d = 256, 4 layers, 4 heads, SwiGLU 688, context 128. */
    public static BackboneConfig small() {
        return new BackboneConfig(256, 4, 4, 688, 128, 10000);
    }

    public BackboneConfig withD(int v) { return new BackboneConfig(v, layers, heads, ffInner, context, ropeTheta); }
    public BackboneConfig withLayers(int v) { return new BackboneConfig(d, v, heads, ffInner, context, ropeTheta); }
    public BackboneConfig withHeads(int v) { return new BackboneConfig(d, layers, v, ffInner, context, ropeTheta); }
    public BackboneConfig withFfInner(int v) { return new BackboneConfig(d, layers, heads, v, context, ropeTheta); }
    public BackboneConfig withContext(int v) { return new BackboneConfig(d, layers, heads, ffInner, v, ropeTheta); }
    public BackboneConfig withRopeTheta(double v) { return new BackboneConfig(d, layers, heads, ffInner, context, v); }
}
