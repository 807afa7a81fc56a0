package org.calmnest.lib.nested;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HOPE as the DSL builds it ({@code nested().levels(1, 4, 16).memory(selfModifying())}: d = 64,
 * 2 layers, 4 heads, memory width 16, chunks of 8, etaMax 0.1, convolution 4, blocks of 64
 * tokens) has a finite loss at initialisation, the same on any thread.
 * <p>
 * Regression test of the "HOPE trains to NaN from step 1" notebook failures: the in-context DGD
 * before its stabilisation (raw, non-unit value targets and no normalised-delta preconditioning)
 * grew the memory states chunk after chunk until the first forward pass overflowed to NaN; the
 * kernel was not involved (the same code gave NaN in script mode). This test fails on that code
 * (loss NaN) and passes on the stabilised {@link DgdMemory#step}.
 */
class HopeStabilityTest {

    private static final int VOCAB = 260;     // bytes + specials, as the DSL's byte tokenizer

    static NestedLmConfig dslHope() {
        BackboneConfig bc = new BackboneConfig(64, 2, 4, 256, 64, 10000);
        HopeConfig hope = new HopeConfig(4, 16, 8, 0.1, 4);
        return new NestedLmConfig(VOCAB, 0, bc, NestedLmConfig.Mixer.HOPE, CmsConfig.of(64, 1, 4, 16), true, hope);
    }

    /** B rows of 65 byte ids of plain English text (the Europarl kind of input), each row a different offset. */
    static TrainBatch textBlocks(int rows) {
        byte[] text = ("Resumption of the session. I declare resumed the session of the European Parliament adjourned"
                + " on Friday 17 December 1999, and I would like once again to wish you a happy new year in the hope"
                + " that you enjoyed a pleasant festive period.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int cols = 65;
        int[] ids = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                ids[r * cols + j] = 4 + (text[(r * 37 + j) % text.length] & 0xff);   // ids above the specials
            }
        }
        return new TrainBatch(ids, rows, cols, (long) rows * (cols - 1), (long) rows * (cols - 1));
    }

    private static double loss(NestedLm lm, TrainBatch b) {
        try (NDManager m = TorchRuntime.engine().newBaseManager()) {
            return lm.loss(m, b, false).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
    }

    @Test
    void theDslsHopeHasAFiniteInitialLossNearLnV() {
        TorchRuntime.noGrad();
        try (NestedLm lm = new NestedLm(dslHope(), 42)) {
            double l = loss(lm, textBlocks(4));
            assertThat(l).as("initial cross-entropy: an untrained model is within a few nats of uniform (ln V = 5.56)").isFinite()
                    .isBetween(Math.log(VOCAB) - 1, Math.log(VOCAB) + 2);
        }
    }

    @Test
    void theLossIsBitForBitTheSameOnAFreshThreadWithGradModeOnOrOff() throws Exception {
        TorchRuntime.noGrad();
        try (NestedLm lm = new NestedLm(dslHope(), 42)) {
            TrainBatch b = textBlocks(2);
            double here = loss(lm, b);
            double[] onThread = new double[2];
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    onThread[0] = loss(lm, b);             // a fresh thread: PyTorch's grad mode is on
                    TorchRuntime.noGrad();                 // what the kernel's cell threads do
                    onThread[1] = loss(lm, b);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, "like-a-kernel-cell");
            t.start();
            t.join();
            assertThat(failure[0]).isNull();
            assertThat(here).isFinite();
            assertThat(onThread).containsExactly(here, here);
        }
    }
}
