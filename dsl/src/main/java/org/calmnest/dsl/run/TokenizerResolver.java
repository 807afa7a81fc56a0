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
        String key = corpus.name() + "#" + corpus.size() + "#" + spec.vocab();
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(key, k -> Tokenizers.bpe(corpus, spec.vocab()));
        }
    }

    /** BPEs trained in this JVM, by corpus and size: the autoencoder and the LM share one. */
    private static final java.util.Map<String, Tokenizer> CACHE = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Tokenizer> e) {
            return size() > 8;
        }
    };
}
