package org.calmnest.dsl.spec;

/**
 * Which tokenizer a model uses: byte-level ({@code bytes()}, vocabulary 260) or a byte-level BPE
 * trained on the training corpus to {@code vocab} ids ({@code bpe(n)}).
 *
 * @param kind  "bytes" or "bpe"
 * @param vocab BPE vocabulary size including the 256 bytes and 4 specials (0 for bytes)
 */
public record TokenizerSpec(String kind, int vocab) {

    /** Byte ids plus the four specials PAD, EOS, MASK, BOS. */
    public static final int MIN_BPE_VOCAB = 260;

    public TokenizerSpec {
        Check.that("bytes".equals(kind) || "bpe".equals(kind), "tokenizer", "kind", kind, "use bytes() or bpe(n)");
        if ("bpe".equals(kind)) {
            Check.range("bpe(" + vocab + ")", "vocab", vocab, MIN_BPE_VOCAB, 1 << 20,
                    "use a vocabulary of at least 260 ids (256 bytes + 4 specials; more adds merges), e.g. bpe(2048)");
        } else {
            Check.that(vocab == 0, "bytes()", "vocab", vocab, "bytes() has a fixed vocabulary; use bpe(n) to choose a size");
        }
    }

    public static TokenizerSpec bytes() {
        return new TokenizerSpec("bytes", 0);
    }

    public static TokenizerSpec bpe(int vocab) {
        return new TokenizerSpec("bpe", vocab);
    }

    @Override
    public String toString() {
        return "bytes".equals(kind) ? "bytes()" : "bpe(" + vocab + ")";
    }
}
