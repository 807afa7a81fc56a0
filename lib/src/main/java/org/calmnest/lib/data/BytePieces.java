package org.calmnest.lib.data;

import java.util.function.IntBinaryOperator;

/**
 * The pre-tokenizer of {@link BpeTokenizer}: cuts UTF-8 bytes into pieces that BPE merges never
 * cross, in the spirit of GPT-2's pattern. Code points are classed as letter (letters and
 * combining marks), digit, whitespace or other; a piece is a maximal run of one class, and a single
 * ASCII space directly before a letter, digit or other run joins that run (" the"). Bytes that are
 * not valid UTF-8 are pieces of their own, and no piece is longer than {@link #MAX_PIECE_BYTES}.
 * The pieces partition the input exactly, so encoding piece by piece loses nothing.
 */
final class BytePieces {

    static final int LETTER = 0;
    static final int DIGIT = 1;
    static final int SPACE = 2;
    static final int OTHER = 3;
    static final int INVALID = 4;
    /** Longest piece in bytes; longer runs are cut (at code point boundaries) to bound BPE's work. */
    static final int MAX_PIECE_BYTES = 128;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) (Character.isLetter(c) ? LETTER : Character.isDigit(c) ? DIGIT
                    : Character.isWhitespace(c) || Character.isSpaceChar(c) ? SPACE : OTHER);
        }
    }

    private BytePieces() {
    }

    /** Calls {@code sink.applyAsInt(start, end)} for every piece of {@code b[0..n)}, in order. */
    static void split(byte[] b, int n, IntBinaryOperator sink) {
        int i = 0;
        while (i < n) {
            int start = i;
            int len = seqLength(b, i, n);
            int cls = classOf(b, i, len);
            if (cls == SPACE && b[i] == ' ' && len == 1 && i + 1 < n) {
                int nextLen = seqLength(b, i + 1, n);
                int next = classOf(b, i + 1, nextLen);
                if (next != SPACE && next != INVALID) {
                    // " word": the space joins the run that follows
                    i += 1;
                    len = nextLen;
                    cls = next;
                }
            }
            i += len;
            if (cls != INVALID) {
                while (i < n) {
                    int l = seqLength(b, i, n);
                    int c = classOf(b, i, l);
                    if (c != cls || i + l - start > MAX_PIECE_BYTES) {
                        break;
                    }
                    // in a whitespace run, keep a final ' ' for the word after it
                    if (cls == SPACE && b[i] == ' ' && l == 1 && i + 1 < n) {
                        int nl = seqLength(b, i + 1, n);
                        int nc = classOf(b, i + 1, nl);
                        if (nc != SPACE && nc != INVALID) {
                            break;
                        }
                    }
                    i += l;
                }
            }
            sink.applyAsInt(start, i);
        }
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or 1 for an invalid byte. */
    static int seqLength(byte[] b, int i, int n) {
        int c = b[i] & 0xFF;
        int len;
        int min;
        if (c < 0x80) {
            return 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return 1; // lone continuation or invalid lead byte
        }
        if (i + len > n) {
            return 1;
        }
        int cp = c & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            int cc = b[i + k] & 0xFF;
            if ((cc & 0xC0) != 0x80) {
                return 1;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 1;
        }
        return len;
    }

    /** Class of the sequence at {@code i} of length {@code len} (as given by seqLength). */
    static int classOf(byte[] b, int i, int len) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
            return ASCII[c];
        }
        if (len == 1 && c >= 0x80) {
            return INVALID;
        }
        int cp = len == 1 ? c : c & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            cp = (cp << 6) | (b[i + k] & 0x3F);
        }
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) {
            return LETTER;
        }
        if (Character.isDigit(cp)) {
            return DIGIT;
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return SPACE;
        }
        return OTHER;
    }
}
