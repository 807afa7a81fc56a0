package org.calmnest.dsl.run;

import org.calmnest.dsl.spec.TokenizerSpec;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;

/** Turns a {@link TokenizerSpec} into a tokenizer for a training corpus. */
public final class TokenizerResolver {

    private TokenizerResolver() {
    }

    /** The tokenizer of {@code spec}; a BPE is trained on the corpus's training split. */
    public static Tokenizer resolve(TokenizerSpec spec, Corpus corpus) {
        if ("bytes".equals(spec.kind())) {
            return Tokenizers.bytes();
        }
        throw new IllegalStateException("bpe(" + spec.vocab() + ") needs the BPE tokenizer of the data module, which this"
                + " build does not have yet; use bytes()");
    }
}
