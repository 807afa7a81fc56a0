package org.calmnest.lib.baseline;

import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.nn.BackboneConfig;

/**
 * The discrete baseline: token embedding (V, d), the shared backbone, an untied softmax head.
 *
 * @param vocabSize ids of the tokenizer, specials included
 * @param pad       the padding id (never a target), or -1 when the data has none
 * @param eos       the end-of-sequence id (generation stops on it), or -1
 * @param backbone  the Transformer shape, the same as the CALM model it is compared with
 */
public record TokenLmConfig(int vocabSize, int pad, int eos, BackboneConfig backbone) {

    public TokenLmConfig {
        if (vocabSize < 2) {
            throw new IllegalArgumentException("TokenLmConfig.vocabSize = " + vocabSize + " is invalid: use the tokenizer's vocabSize() (>= 2)");
        }
        if (pad < -1 || pad >= vocabSize) {
            throw new IllegalArgumentException("TokenLmConfig.pad = " + pad + " is invalid: use an id in [0, " + vocabSize + ") or -1 for none");
        }
        if (eos < -1 || eos >= vocabSize) {
            throw new IllegalArgumentException("TokenLmConfig.eos = " + eos + " is invalid: use an id in [0, " + vocabSize + ") or -1 for none");
        }
        if (backbone == null) {
            throw new IllegalArgumentException("TokenLmConfig.backbone = null is invalid: use e.g. BackboneConfig.small()");
        }
    }

    /** The ids of a tokenizer with the given backbone. */
    public static TokenLmConfig of(Tokenizer tokenizer, BackboneConfig backbone) {
        return new TokenLmConfig(tokenizer.vocabSize(), tokenizer.pad(), tokenizer.eos(), backbone);
    }

    public TokenLmConfig withBackbone(BackboneConfig v) {
        return new TokenLmConfig(vocabSize, pad, eos, v);
    }
}
