package org.calmnest.lib.baseline;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.eval.Perplexity;
import org.calmnest.lib.flops.Flops;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.CancellationToken;
import org.calmnest.lib.train.TrainConfig;
import org.calmnest.lib.train.Trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TokenLmTest {

    static final BackboneConfig BB = new BackboneConfig(32, 1, 2, 64, 24, 10000);
    static final TokenLmConfig CFG = new TokenLmConfig(12, 11, 10, BB);

    /** Rows of a period-5 sequence 0 1 2 3 4 0 1 ... with different phases. */
    static TrainBatch periodic(int rows, int cols) {
        int[] ids = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                ids[r * cols + c] = (r + c) % 5;
            }
        }
        return new TrainBatch(ids, rows, cols, (long) rows * cols, (long) rows * cols);
    }

    /** Trains with the shared Trainer (AdamW, lr 1e-2, no decay) on one repeated batch. */
    static Trainer.Result train(TokenLm lm, TrainBatch batch, int steps) {
        BatchSource data = new BatchSource() {
            @Override
            public Iterator<TrainBatch> train(long seed) {
                return Stream.generate(() -> batch).iterator();
            }

            @Override
            public List<TrainBatch> validation() {
                return List.of(batch);
            }
        };
        TrainConfig cfg = TrainConfig.defaults(steps).withLearningRate(2e-2).withWarmupSteps(0).withWeightDecay(0);
        try (Trainer t = new Trainer(lm, cfg)) {
            return t.run(data, List.of(), new CancellationToken());
        }
    }

    @Test
    void initialLossIsNearLnVAndTrainingLearnsARepetitiveCorpus() {
        try (TokenLm lm = TokenLm.create(CFG, 3)) {
            TrainBatch batch = periodic(4, 17);
            Trainer.Result r = train(lm, batch, 40);
            double first = r.steps().get(0).loss();
            assertThat(first).isCloseTo(Math.log(12), within(0.15));
            assertThat(r.lastLoss()).isLessThan(0.1);
            assertThat(r.steps().get(39).flops()).isCloseTo(40 * lm.trainingFlops(batch), within(1.0));
            // greedy generation continues the pattern
            assertThat(lm.generate(new int[] {2, 3, 4}, 7, 0, 1)).containsExactly(0, 1, 2, 3, 4, 0, 1);
            assertThat(lm.evalMetrics(lm.manager().newSubManager(), batch).get("accuracy")).isEqualTo(1.0);
            // a near-deterministic model of the pattern: BrierLM near 100, exact and pure two-sample
            BrierLm.Result exact = TokenLmBrier.score(lm, List.of(periodic(3, 17)), 4, true, 1);
            BrierLm.Result sampled = TokenLmBrier.score(lm, List.of(periodic(3, 17)), 4, false, 1);
            assertThat(exact.brierLm()).isGreaterThan(95);
            assertThat(sampled.brierLm()).isGreaterThan(90);
            // starts 4, 8, 12, 16 in blocks of 17: start 16 has only its 1-gram
            assertThat(exact.counts()).containsExactly(12, 9, 9, 9);
        }
    }

    @Test
    void cachedGenerationEqualsUncached() {
        try (TokenLm lm = TokenLm.create(CFG, 5)) {
            int[] prompt = {1, 4, 2, 2, 0};
            assertThat(lm.generate(prompt, 15, 0, 9, true)).containsExactly(lm.generate(prompt, 15, 0, 9, false));
            int[] sampledCached = lm.generate(prompt, 15, 1.0, 9, true);
            assertThat(sampledCached).containsExactly(lm.generate(prompt, 15, 1.0, 9, false));
            assertThat(lm.generate(prompt, 15, 1.0, 10, true)).isNotEqualTo(sampledCached);
        }
    }

    @Test
    void perplexityMatchesLossAndNothingLeaks() {
        try (TokenLm lm = TokenLm.create(CFG, 6)) {
            TrainBatch b = periodic(3, 20);
            BaseNDManager root = (BaseNDManager) lm.manager();
            int before = root.getManagedArrays().size();
            float loss;
            try (NDManager m = lm.manager().newSubManager()) {
                loss = lm.loss(m, b, false).getFloat();
            }
            Perplexity.Result r = Perplexity.of(lm, List.of(b));
            lm.generate(new int[] {1, 2}, 5, 0.7, 1);
            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(r.crossEntropy()).isCloseTo(loss, within(1e-5));
            assertThat(r.tokens()).isEqualTo(3 * 19);
            // byte-level batch: bytes scaled by 19/20 of the row
            assertThat(r.bitsPerByte()).isCloseTo(loss / Math.log(2), within(1e-5));
            assertThat(r.perplexity()).isCloseTo(Math.exp(loss), within(1e-4));
        }
    }

    @Test
    void generationOnAFreshThreadRecordsNoGraph() throws Exception {
        try (TokenLm lm = TokenLm.create(CFG, 5)) {
            int[] onMain = lm.generate(new int[] {1, 2}, 6, 0.9, 3);
            boolean[] gradAfter = {true};
            int[][] onThread = new int[1][];
            Thread t = new Thread(() -> {
                onThread[0] = lm.generate(new int[] {1, 2}, 6, 0.9, 3);
                gradAfter[0] = TorchRuntime.isGradMode();
            });
            t.start();
            t.join();
            assertThat(onThread[0]).containsExactly(onMain);
            assertThat(gradAfter[0]).isFalse();
        }
    }

    @Test
    void paddingTargetsAreIgnored() {
        try (TokenLm lm = TokenLm.create(CFG, 6); NDManager m = lm.manager().newSubManager()) {
            int[] ids = {1, 2, 3, 4, 11, 11};
            int[] shorter = {1, 2, 3, 4};
            float padded = lm.loss(m, new TrainBatch(ids, 1, 6, 4, 4), false).getFloat();
            float plain = lm.loss(m, new TrainBatch(shorter, 1, 4, 4, 4), false).getFloat();
            assertThat(padded).isCloseTo(plain, within(1e-6f));
        }
    }

    @Test
    void saveAndLoadGiveIdenticalModels(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lm.bin");
        try (TokenLm lm = TokenLm.create(CFG, 8)) {
            lm.save(file);
            try (TokenLm back = TokenLm.load(file); NDManager m = lm.manager().newSubManager()) {
                assertThat(back.config()).isEqualTo(CFG);
                TrainBatch b = periodic(2, 9);
                assertThat(back.loss(m, b, false).getFloat()).isEqualTo(lm.loss(m, b, false).getFloat());
                assertThat(back.generate(new int[] {3}, 10, 1.0, 4)).containsExactly(lm.generate(new int[] {3}, 10, 1.0, 4));
            }
        }
        assertThatThrownBy(() -> TokenLm.load(dir.resolve("missing.bin"))).hasMessageContaining("TokenLm.save");
        Path other = dir.resolve("other.bin");
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(java.nio.file.Files.newOutputStream(other))) {
            out.writeUTF("something else");
        }
        assertThatThrownBy(() -> TokenLm.load(other)).hasMessageContaining("not a TokenLm file");
        java.nio.file.Files.writeString(other, "x");
        assertThatThrownBy(() -> TokenLm.load(other)).hasMessageContaining("could not be read");
        Path withTok = dir.resolve("bytes.bin");
        try (TokenLm lm = TokenLm.create(ByteTokenizer.create(), BB, 8)) {
            try (TokenLm plain = TokenLm.create(CFG, 1)) {
                assertThatThrownBy(() -> plain.generateText("x", 2, 0, 1)).hasMessageContaining("no tokenizer");
            }
            lm.save(withTok);
            try (TokenLm back = TokenLm.load(withTok)) {
                assertThat(back.tokenizer().name()).isEqualTo(lm.tokenizer().name());
                assertThat(back.generateText("Hello", 8, 0.8, 3)).isEqualTo(lm.generateText("Hello", 8, 0.8, 3));
            }
        }
    }

    @Test
    void flopsFollowTheFormula() {
        try (TokenLm lm = TokenLm.create(CFG, 1)) {
            // T = 16 predictions per row: per layer per position 2(4 d^2 + 3 d f) + 4 T d; head 2 d V
            double d = 32, f = 64, t = 16, v = 12;
            double forwardPerRow = t * (2 * (4 * d * d + 3 * d * f) + 4 * t * d) + t * 2 * d * v;
            assertThat(lm.trainingFlops(periodic(3, 17))).isCloseTo(3 * 3 * forwardPerRow, within(1e-6));
            assertThat(lm.parameterCount()).isEqualTo(Flops.backboneParameters(BB) + 2L * 32 * 12);
        }
    }

    @Test
    void badInputIsRejectedWithTheFix() {
        try (TokenLm lm = TokenLm.create(CFG, 1); NDManager m = lm.manager().newSubManager()) {
            assertThatThrownBy(() -> lm.generate(new int[0], 3, 0, 1)).hasMessageContaining("prompt is empty");
            assertThatThrownBy(() -> lm.generate(new int[20], 6, 0, 1)).hasMessageContaining("exceeds the context 24");
            assertThatThrownBy(() -> lm.generate(new int[] {1}, 3, -1, 1)).hasMessageContaining("temperature = -1");
            assertThatThrownBy(() -> lm.loss(m, new TrainBatch(new int[] {1, 12}, 1, 2, 2, 2), false))
                    .hasMessageContaining("id 12 is outside");
            assertThatThrownBy(() -> lm.loss(m, periodic(1, 26), false)).hasMessageContaining("context + 1");
            assertThatThrownBy(() -> new TokenLmConfig(12, 12, 10, BB)).hasMessageContaining("pad = 12");
        }
    }
}
