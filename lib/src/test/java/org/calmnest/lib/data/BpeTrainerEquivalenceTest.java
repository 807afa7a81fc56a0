package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The incremental trainer (pair counts updated only for touched words, lazy heap) against a
 * from-scratch reference that recounts every pair before every merge: same merges, and the
 * tokenizer's encoding of every training piece equals the reference's final segmentation.
 */
class BpeTrainerEquivalenceTest {

    @Test
    void incrementalTrainerEqualsFromScratchReference() {
        List<String> texts = new ArrayList<>(Corpus.europarl("it").documents(Split.TRAIN).subList(0, 8));
        texts.addAll(Corpus.europarl("pl").documents(Split.TRAIN).subList(0, 4));
        texts.add("aaaaaaa bbbbbb aaaa abababab ab ab ab"); // overlapping runs: left-to-right merging matters
        int merges = 300;

        // reference: piece -> count, symbols per piece
        Map<String, Integer> counts = new TreeMap<>();
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.UTF_8);
            BytePieces.split(b, b.length, (s, e) -> {
                counts.merge(new String(b, s, e - s, StandardCharsets.ISO_8859_1), 1, Integer::sum);
                return 0;
            });
        }
        List<String> keys = new ArrayList<>(counts.keySet());
        List<List<Integer>> words = new ArrayList<>();
        for (String k : keys) {
            List<Integer> w = new ArrayList<>();
            k.chars().forEach(w::add);
            words.add(w);
        }
        List<int[]> expected = new ArrayList<>();
        while (expected.size() < merges) {
            Map<Long, Long> pc = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<Integer> w = words.get(i);
                for (int j = 0; j + 1 < w.size(); j++) {
                    pc.merge(BpeTrainer.pair(w.get(j), w.get(j + 1)), (long) counts.get(keys.get(i)), Long::sum);
                }
            }
            long best = -1;
            long bestCount = 0;
            for (Map.Entry<Long, Long> e : pc.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey() < best)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (bestCount < 2) {
                break;
            }
            int a = (int) (best >>> 32);
            int b = (int) best;
            int z = 260 + expected.size();
            expected.add(new int[] {a, b});
            for (List<Integer> w : words) {
                List<Integer> m = new ArrayList<>();
                for (int j = 0; j < w.size(); j++) {
                    if (j + 1 < w.size() && w.get(j) == a && w.get(j + 1) == b) {
                        m.add(z);
                        j++;
                    } else {
                        m.add(w.get(j));
                    }
                }
                w.clear();
                w.addAll(m);
            }
        }

        List<int[]> actual = BpeTrainer.train(texts, merges, 260);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("merge %d", i).containsExactly(expected.get(i));
        }
        BpeTokenizer tok = BpeTokenizer.train(texts, 260 + merges);
        for (int i = 0; i < keys.size(); i++) {
            int[] ref = words.get(i).stream().mapToInt(Integer::intValue).toArray();
            assertThat(tok.encodeBytes(keys.get(i).getBytes(StandardCharsets.ISO_8859_1)))
                    .as("piece %s", keys.get(i)).isEqualTo(ref);
        }
        assertThat(Arrays.stream(tok.encode(texts.get(0))).max().getAsInt()).isGreaterThan(300);
    }
}
