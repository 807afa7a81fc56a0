package org.calmnest.lib.nested;

import org.calmnest.lib.nn.BackboneConfig;

/**
 * A next-token language model for the nested-learning experiments: token embedding, layers of
 * (mixer, feed-forward) with pre-norm residuals, final norm, untied softmax head.
 *
 * @param vocabSize   tokenizer ids, specials included
 * @param pad         padding id (never a target), or -1
 * @param backbone    width, depth, attention heads, SwiGLU width (for the plain feed-forward), context
 * @param mixer       softmax attention or HOPE's self-modifying memory
 * @param cms         the Continuum Memory feed-forward, or null for one SwiGLU of width backbone.ffInner
 * @param levelGroups true: one parameter group per CMS level with its period and rate (CMS, LR-matched);
 *                    false: one group, every parameter every step (Transformer, Transformer-k)
 * @param hope        settings of the self-modifying memory (used when mixer = HOPE)
 */
public record NestedLmConfig(int vocabSize, int pad, BackboneConfig backbone, Mixer mixer, CmsConfig cms,
                             boolean levelGroups, HopeConfig hope) {

    /** What mixes positions in each layer. */
    public enum Mixer { ATTENTION, HOPE }

    public NestedLmConfig {
        if (vocabSize < 2) {
            throw new IllegalArgumentException("NestedLmConfig.vocabSize = " + vocabSize + " is invalid: use the tokenizer's vocabSize()");
        }
        if (pad < -1 || pad >= vocabSize) {
            throw new IllegalArgumentException("NestedLmConfig.pad = " + pad + " is invalid: use an id in [0, " + vocabSize + ") or -1");
        }
        if (backbone == null || mixer == null) {
            throw new IllegalArgumentException("NestedLmConfig: backbone and mixer are required (got backbone = " + backbone
                    + ", mixer = " + mixer + "); use BackboneConfig.tiny() and Mixer.ATTENTION");
        }
        if (mixer == Mixer.HOPE && hope == null) {
            throw new IllegalArgumentException("NestedLmConfig.hope = null with mixer = HOPE: pass HopeConfig.tiny() or similar");
        }
        if (levelGroups && cms == null) {
            throw new IllegalArgumentException("NestedLmConfig.levelGroups = true needs a CMS (cms = null): set cms or levelGroups = false");
        }
    }

    @Override
    public String toString() {
        return "NestedLm(d=" + backbone.d() + ", layers=" + backbone.layers() + ", mixer=" + mixer
                + (cms == null ? ", ff=SwiGLU(" + backbone.ffInner() + ")" : ", ff=" + cms) + (levelGroups ? ", level groups" : "")
                + (mixer == Mixer.HOPE ? ", " + hope : "") + ")";
    }
}
