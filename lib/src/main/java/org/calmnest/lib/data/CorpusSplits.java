package org.calmnest.lib.data;

import java.util.List;

/** The deterministic per-document split rule of {@link Corpus} (see its Javadoc). */
final class CorpusSplits {

    static final int BUCKETS = 1000;
    static final int TRAIN_BELOW = 900;
    static final int VALIDATION_BELOW = 950;

    private CorpusSplits() {
    }

    /** Stable 64-bit hash of a text: FNV-1a over its UTF-16 code units, then the SplitMix64 finaliser. */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    static int bucket(String text) {
        return (int) Long.remainderUnsigned(hash(text), BUCKETS);
    }

    static Split[] assign(List<String> docs) {
        int n = docs.size();
        Split[] out = new Split[n];
        int[] bucket = new int[n];
        int[] count = new int[3];
        for (int i = 0; i < n; i++) {
            bucket[i] = bucket(docs.get(i));
            out[i] = bucket[i] < TRAIN_BELOW ? Split.TRAIN : bucket[i] < VALIDATION_BELOW ? Split.VALIDATION : Split.TEST;
            count[out[i].ordinal()]++;
        }
        for (Split target : new Split[] {Split.VALIDATION, Split.TEST, Split.TRAIN}) {
            if (count[target.ordinal()] > 0) {
                continue;
            }
            Split donor = Split.TRAIN;
            for (Split s : Split.values()) {
                if (count[s.ordinal()] > count[donor.ordinal()]) {
                    donor = s;
                }
            }
            int pick = -1;
            for (int i = 0; i < n; i++) {
                if (out[i] == donor && (pick < 0 || bucket[i] > bucket[pick])) {
                    pick = i;
                }
            }
            out[pick] = target;
            count[donor.ordinal()]--;
            count[target.ordinal()]++;
        }
        return out;
    }

    /** UTF-8 length without allocating the bytes. */
    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3; // lone surrogates become '?' (1 byte) in Java's encoder; text from files never has them
            }
        }
        return n;
    }
}
