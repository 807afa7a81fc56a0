package org.calmnest.lib.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE training (Sennrich et al. 2016, byte-level as in GPT-2) with incremental pair
 * counts. The text is cut into pieces by {@link BytePieces}; identical pieces are counted once with
 * their frequency f(w). Each step merges the most frequent adjacent pair
 * {@code (a, b) = argmax sum_w f(w) * #occurrences of ab in w} (ties: smallest a, then b) into a new
 * id, in every word, left to right. Only the words that contain the pair are touched: their old
 * pairs are subtracted, the merge applied and their new pairs added; a max-heap with lazy
 * re-validation finds the next pair. Training stops at the requested vocabulary size or when no
 * pair occurs at least twice.
 */
final class BpeTrainer {

    private BpeTrainer() {
    }

    /** Merges as pairs {left, right}; merge i creates id {@code firstId + i}. */
    static List<int[]> train(Iterable<String> texts, int merges, int firstId) {
        Map<String, int[]> counts = new HashMap<>();
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            BytePieces.split(b, b.length, (s, e) -> {
                counts.computeIfAbsent(new String(b, s, e - s, StandardCharsets.ISO_8859_1), k -> new int[1])[0]++;
                return 0;
            });
        }
        String[] keys = counts.keySet().toArray(new String[0]);
        Arrays.sort(keys); // word indices independent of hash order
        int nw = keys.length;
        int[][] syms = new int[nw][];
        int[] len = new int[nw];
        long[] freq = new long[nw];
        Map<Long, long[]> pairCount = new HashMap<>();
        Map<Long, IntList> where = new HashMap<>();
        for (int w = 0; w < nw; w++) {
            String k = keys[w];
            syms[w] = new int[k.length()];
            for (int j = 0; j < k.length(); j++) {
                syms[w][j] = k.charAt(j); // ISO-8859-1: one char per byte
            }
            len[w] = k.length();
            freq[w] = counts.get(k)[0];
            for (int j = 0; j + 1 < len[w]; j++) {
                long p = pair(syms[w][j], syms[w][j + 1]);
                pairCount.computeIfAbsent(p, x -> new long[1])[0] += freq[w];
                where.computeIfAbsent(p, x -> new IntList()).add(w);
            }
        }
        // max count first; ties: smallest pair key (left id, then right id)
        PriorityQueue<long[]> heap = new PriorityQueue<>((x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[1], y[1]));
        pairCount.forEach((p, c) -> heap.add(new long[] {c[0], p}));
        int[] stamp = new int[nw];
        Arrays.fill(stamp, -1);
        List<int[]> out = new ArrayList<>(merges);
        while (out.size() < merges && !heap.isEmpty()) {
            long[] top = heap.poll();
            long[] cur = pairCount.get(top[1]);
            long actual = cur == null ? 0 : cur[0];
            if (actual != top[0]) {
                if (actual > 0) {
                    heap.add(new long[] {actual, top[1]});
                }
                continue;
            }
            if (actual < 2) {
                break;
            }
            int a = (int) (top[1] >>> 32);
            int b = (int) top[1];
            int z = firstId + out.size();
            out.add(new int[] {a, b});
            Map<Long, long[]> created = new HashMap<>();
            IntList ws = where.get(top[1]);
            for (int wi = 0; wi < ws.size; wi++) {
                int w = ws.data[wi];
                if (stamp[w] == out.size()) {
                    continue; // listed twice
                }
                stamp[w] = out.size();
                int[] s = syms[w];
                int n = len[w];
                boolean has = false;
                for (int j = 0; j + 1 < n && !has; j++) {
                    has = s[j] == a && s[j + 1] == b;
                }
                if (!has) {
                    continue; // stale entry: an earlier merge removed the pair from this word
                }
                long f = freq[w];
                for (int j = 0; j + 1 < n; j++) {
                    pairCount.get(pair(s[j], s[j + 1]))[0] -= f;
                }
                int m = 0;
                for (int j = 0; j < n; j++) {
                    if (j + 1 < n && s[j] == a && s[j + 1] == b) {
                        s[m++] = z;
                        j++;
                    } else {
                        s[m++] = s[j];
                    }
                }
                len[w] = m;
                for (int j = 0; j + 1 < m; j++) {
                    long p = pair(s[j], s[j + 1]);
                    long[] c = pairCount.computeIfAbsent(p, x -> new long[1]);
                    c[0] += f;
                    if (s[j] == z || s[j + 1] == z) {
                        created.put(p, c);
                        where.computeIfAbsent(p, x -> new IntList()).add(w);
                    }
                }
            }
            pairCount.remove(top[1]);
            where.remove(top[1]);
            created.forEach((p, c) -> {
                if (c[0] > 0) {
                    heap.add(new long[] {c[0], p});
                }
            });
        }
        return out;
    }

    static long pair(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** Growable int list (word indices per pair). */
    static final class IntList {
        int[] data = new int[4];
        int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }
    }
}
