package org.calmnest.lib.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

class ChunkingTest {

    private static final ByteTokenizer BYTES = Tokenizers.bytes();
    private static final int E = ByteTokenizer.EOS;
    private static final int P = ByteTokenizer.PAD;

    private static List<String> randomDocs(int n, long seed) {
        Random rnd = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder("d" + i + ":");
            for (int j = rnd.nextInt(30); j > 0; j--) {
                b.append((char) ('a' + rnd.nextInt(26)));
            }
            docs.add(b.toString());
        }
        return docs;
    }

    @Test
    void documentEndsWithEosThenPadToMultipleOfK() {
        Chunker c = new Chunker(BYTES, 4);
        assertThat(c.document("abc")).containsExactly('a', 'b', 'c', E);
        assertThat(c.document("abcd")).containsExactly('a', 'b', 'c', 'd', E, P, P, P);
        assertThat(c.document("")).containsExactly(E, P, P, P);
        assertThat(new Chunker(BYTES, 1).document("ab")).containsExactly('a', 'b', E);
        assertThat(Chunker.paddedLength(7, 4)).isEqualTo(8);
        assertThat(Chunker.paddedLength(8, 4)).isEqualTo(12);
    }

    @Test
    void noChunkStraddlesDocumentsAndPaddingOnlyAtDocumentEnds() {
        List<String> docs = randomDocs(200, 1);
        for (int k : new int[] {1, 2, 3, 4, 8}) {
            ChunkStream s = new Chunker(BYTES, k).stream(docs);
            assertThat(s.length() % k).isZero();
            List<String> decoded = new ArrayList<>();
            int docStart = 0;
            for (int c = 0; c < s.chunks(); c++) {
                int[] chunk = s.chunk(c);
                boolean ended = false;
                for (int j = 0; j < k; j++) {
                    if (ended) {
                        assertThat(chunk[j]).as("after EOS only PAD, k=%d chunk=%d", k, c).isEqualTo(P);
                    } else if (chunk[j] == P) {
                        throw new AssertionError("PAD before EOS in chunk " + c);
                    } else if (chunk[j] == E) {
                        ended = true;
                        decoded.add(BYTES.decode(s.ids(docStart, c * k + j)));
                        docStart = (c + 1) * k; // the next document starts at the next chunk
                    }
                }
            }
            assertThat(decoded).isEqualTo(docs);
        }
    }

    @Test
    void chunkBatchesShapesCountsAndOneEpochCoversEveryChunkOnce() {
        Corpus corpus = Corpus.ofTexts("c", randomDocs(120, 2));
        ChunkBatches b = new ChunkBatches(corpus, BYTES, 4, 7, 3, false);
        ChunkStream train = new Chunker(BYTES, 4).stream(corpus.documents(Split.TRAIN));
        assertThat(b.trainChunks()).isEqualTo(train.chunks());
        Map<String, Integer> expected = new HashMap<>();
        for (int c = 0; c < train.chunks(); c++) {
            expected.merge(Arrays.toString(train.chunk(c)), 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        Iterator<TrainBatch> it = b.train(11);
        int rowsSeen = 0;
        while (rowsSeen < train.chunks()) {
            TrainBatch t = it.next();
            assertThat(t.rows()).isEqualTo(7);
            assertThat(t.cols()).isEqualTo(4);
            long real = Arrays.stream(t.ids()).filter(id -> id != P).count();
            long bytes = Arrays.stream(t.ids()).filter(id -> id < 256).count();
            assertThat(t.tokens()).isEqualTo(real);
            assertThat(t.bytes()).isEqualTo(bytes);
            for (int r = 0; r < t.rows() && rowsSeen < train.chunks(); r++, rowsSeen++) {
                seen.merge(Arrays.toString(Arrays.copyOfRange(t.ids(), r * 4, r * 4 + 4)), 1, Integer::sum);
            }
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void trainOrderDependsOnlyOnSeed() {
        Corpus corpus = Corpus.ofTexts("c", randomDocs(60, 3));
        ChunkBatches b = ChunkBatches.of(corpus, BYTES, 4, 5);
        Iterator<TrainBatch> a1 = b.train(7);
        Iterator<TrainBatch> a2 = ChunkBatches.of(corpus, BYTES, 4, 5).train(7);
        Iterator<TrainBatch> c = b.train(8);
        boolean differs = false;
        for (int i = 0; i < 40; i++) { // several epochs
            TrainBatch x = a1.next();
            assertThat(a2.next().ids()).isEqualTo(x.ids());
            differs |= !Arrays.equals(c.next().ids(), x.ids());
        }
        assertThat(differs).isTrue();
    }

    @Test
    void validationIsFixedAndBounded() {
        Corpus corpus = Corpus.ofTexts("c", randomDocs(400, 4));
        ChunkBatches b = new ChunkBatches(corpus, BYTES, 4, 2, 3, false);
        assertThat(b.validation()).hasSize(3).isSameAs(b.validation());
        ChunkBatches all = new ChunkBatches(corpus, BYTES, 4, 1000, 100, false);
        ChunkStream val = new Chunker(BYTES, 4).stream(corpus.documents(Split.VALIDATION));
        assertThat(all.validation()).hasSize(1);
        assertThat(all.validation().get(0).rows()).isEqualTo(val.chunks());
        assertThat(all.validation().get(0).ids()).isEqualTo(val.ids(0, val.length()));
        assertThat(all.batches(Split.TEST, 5)).isNotEmpty();
    }

    @Test
    void textChunksOnlyDropsEosOnlyChunks() {
        // "abcd" with K=4 leaves the chunk [EOS, PAD, PAD, PAD]
        Corpus corpus = Corpus.ofTexts("c", List.of("abcd", "efgh", "ijkl", "mnop", "qrst"));
        ChunkBatches keep = new ChunkBatches(corpus, BYTES, 4, 1, 100, false);
        ChunkBatches drop = new ChunkBatches(corpus, BYTES, 4, 1, 100, true);
        assertThat(keep.trainChunks()).isEqualTo(2 * drop.trainChunks());
        Iterator<TrainBatch> it = drop.train(1);
        for (int i = 0; i < 10; i++) {
            assertThat(it.next().ids()).doesNotContain(E, P);
        }
    }

    @Test
    void blockBatchesAreKAlignedWindowsOfTheStream() {
        Corpus corpus = Corpus.ofTexts("c", randomDocs(150, 5));
        int k = 4;
        int t = 12;
        BlockBatches b = new BlockBatches(corpus, BYTES, k, t, 3, 1000);
        ChunkStream val = new Chunker(BYTES, k).stream(corpus.documents(Split.VALIDATION));
        int[] joined = b.validation().stream().flatMapToInt(x -> Arrays.stream(x.ids())).toArray();
        int[] expected = Arrays.copyOf(val.ids(0, val.length()), ((val.length() + t - 1) / t) * t);
        Arrays.fill(expected, val.length(), expected.length, P);
        assertThat(joined).isEqualTo(expected);
        ChunkStream train = new Chunker(BYTES, k).stream(corpus.documents(Split.TRAIN));
        assertThat(b.trainBlocks()).isEqualTo((train.length() + t - 1) / t);
        Map<String, Integer> seen = new HashMap<>();
        Iterator<TrainBatch> it = b.train(3);
        int n = 0;
        while (n < b.trainBlocks()) {
            TrainBatch x = it.next();
            assertThat(x.rows()).isEqualTo(3);
            assertThat(x.cols()).isEqualTo(t);
            for (int r = 0; r < 3 && n < b.trainBlocks(); r++, n++) {
                seen.merge(Arrays.toString(Arrays.copyOfRange(x.ids(), r * t, r * t + t)), 1, Integer::sum);
            }
        }
        Map<String, Integer> want = new HashMap<>();
        for (int j = 0; j < b.trainBlocks(); j++) {
            int[] block = Arrays.copyOf(train.ids(j * t, Math.min(train.length(), (j + 1) * t)), t);
            Arrays.fill(block, Math.min(t, train.length() - j * t), t, P);
            want.merge(Arrays.toString(block), 1, Integer::sum);
        }
        assertThat(seen).isEqualTo(want);
    }

    @Test
    void badInputMessagesNameValueAndFix() {
        Corpus corpus = Corpus.ofTexts("c", randomDocs(10, 6));
        assertThatThrownBy(() -> new Chunker(BYTES, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("K 0").hasMessageContaining(">= 1");
        assertThatThrownBy(() -> BlockBatches.of(corpus, BYTES, 4, 10, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockLength 10").hasMessageContaining("multiple of K 4")
                .hasMessageContaining("such as 8 or 12");
        assertThatThrownBy(() -> ChunkBatches.of(corpus, BYTES, 4, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rows 0");
        Tokenizer silent = new Tokenizer() { // encodes nothing: every chunk is [EOS, PAD...]
            public int vocabSize() { return 260; }
            public int pad() { return P; }
            public int eos() { return E; }
            public int mask() { return 258; }
            public int bos() { return 259; }
            public int[] encode(String text) { return new int[0]; }
            public String decode(int[] ids) { return ""; }
            public String name() { return "silent"; }
            public void save(Path file) { }
        };
        assertThatThrownBy(() -> new ChunkBatches(corpus, silent, 4, 2, 2, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero chunks with text");
        // a tokenizer that cannot count bytes gives bytes = 0 (unknown)
        assertThat(ChunkBatches.of(corpus, silent, 4, 2).train(1).next().bytes()).isZero();
    }
}
