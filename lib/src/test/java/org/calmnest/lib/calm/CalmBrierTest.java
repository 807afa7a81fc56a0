package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

class CalmBrierTest {

    static final int V = 12;
    static final int PAD = 11;

    /** The chunk an untrained model always predicts: its head is zero-initialised, so z = 0. */
    static int[] zeroChunk(TableCodec codec) {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            long[] ids = codec.decode(m.zeros(new Shape(1, codec.latentDim()))).toLongArray();
            return Arrays.stream(ids).mapToInt(x -> (int) x).toArray();
        }
    }

    static TrainBatch repeated(int[] chunk, int rows, int chunks) {
        int k = chunk.length;
        int[] ids = new int[rows * chunks * k];
        for (int i = 0; i < rows * chunks; i++) {
            System.arraycopy(chunk, 0, ids, i * k, k);
        }
        return new TrainBatch(ids, rows, chunks * k, ids.length, ids.length);
    }

    @Test
    void aDeterministicPerfectPredictorScores100AndAWrongOneScores0ForEveryK() {
        for (int k : new int[] {1, 2, 4, 8}) {
            try (TableCodec codec = new TableCodec(k, 4, V, 0.3f, 1);
                 CalmModel model = CalmModel.create(CalmConfig.tiny(k, 4 * k, V), codec, 5)) {
                int[] z = zeroChunk(codec);
                int chunks = Math.max(3, 8 / k);
                BrierLm.Result perfect = CalmBrier.score(model, List.of(repeated(z, 2, chunks)), k, PAD, 1);
                assertThat(perfect.brierLm()).as("K=%d", k).isCloseTo(100.0, within(1e-9));
                // every token differs from what the model always says: Brier-n = 0 + 0 - 1 = -1
                int[] wrong = z.clone();
                for (int i = 0; i < k; i++) wrong[i] = (z[i] + 1) % PAD;
                BrierLm.Result bad = CalmBrier.score(model, List.of(repeated(wrong, 2, chunks)), k, PAD, 1);
                assertThat(bad.brier(1)).isCloseTo(-1.0, within(1e-9));
                assertThat(bad.brierLm()).isZero();
                // every chunk boundary after the first is scored once per row, Brier-4 where 4 tokens fit
                int len = chunks * k;
                assertThat(perfect.counts()[0]).isEqualTo(2L * (chunks - 1));
                long starts4 = java.util.stream.IntStream.iterate(k, s -> s < len, s -> s + k).filter(s -> s + 4 <= len).count();
                assertThat(perfect.counts()[3]).isEqualTo(2L * starts4);
            }
        }
    }

    @Test
    void randomTextGivesAScoreBetween0And100AndPadIsNotScored() {
        try (TableCodec codec = new TableCodec(2, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(2, 8, V), codec, 5)) {
            Random r = new Random(4);
            int[] ids = new int[2 * 16];
            for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(PAD);
            ids[16 + 6] = PAD; // one PAD at token 6 of row 1: the n-grams covering it are dropped
            TrainBatch b = new TrainBatch(ids, 2, 16, ids.length, ids.length);
            BrierLm.Result res = CalmBrier.score(model, List.of(b), 2, PAD, 3);
            assertThat(res.brierLm()).isBetween(0.0, 100.0);
            assertThat(res.counts()[0]).isEqualTo(2L * 7 - 1);
        }
    }

    @Test
    void strideMustBeAMultipleOfK() {
        try (TableCodec codec = new TableCodec(4, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(4, 16, V), codec, 5)) {
            TrainBatch b = repeated(new int[] {1, 2, 3, 4}, 1, 4);
            assertThatThrownBy(() -> CalmBrier.score(model, List.of(b), 6, PAD, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride = 6");
        }
    }
}
