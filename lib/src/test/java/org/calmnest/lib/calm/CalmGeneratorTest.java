package org.calmnest.lib.calm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.calmnest.lib.runtime.TorchRuntime;
import org.junit.jupiter.api.Test;

class CalmGeneratorTest {

    static final int V = 12;
    static final int PAD = 11;
    static final int EOS = 10;

    /** Gives the zero-initialised output layer of the head random weights, so samples vary. */
    static void randomiseHeadOutput(CalmModel model) {
        TorchRuntime.seed(9);
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            var a = p.getValue().getArray();
            if (p.getKey().contains("head") && p.getKey().endsWith("out_weight")) {
                a.addi(a.getManager().randomNormal(0f, 0.5f, a.getShape(), a.getDataType()));
            }
        }
    }

    @Test
    void cachedGenerationEqualsUncachedForTheSameSeed() {
        for (int k : new int[] {1, 4}) {
            try (TableCodec codec = new TableCodec(k, 4, V, 0.3f, 1);
                 CalmModel model = CalmModel.create(CalmConfig.tiny(k, 4 * k, V), codec, 5)) {
                randomiseHeadOutput(model);
                CalmGenerator gen = new CalmGenerator(model, PAD, 99); // no EOS stop: compare full lengths
                int[] prompt = {1, 2, 3, 4, 5, 6, 7, 8};
                for (CalmGenerator.Options o : new CalmGenerator.Options[] {
                        CalmGenerator.Options.sample(12, 3),
                        CalmGenerator.Options.sample(8, 4).withTemperature(0.5).withMode(TemperatureSampler.Mode.BATCH).withCandidates(16)}) {
                    int[] cached = gen.generate(prompt, o);
                    int[] full = gen.generate(prompt, o.withCache(false));
                    assertThat(cached).as("K=%d %s", k, o).hasSize(o.maxNewTokens()).containsExactly(full);
                    assertThat(gen.generate(prompt, o.withSeed(o.seed() + 1))).isNotEqualTo(cached);
                }
            }
        }
    }

    @Test
    void exactTemperatureSamplingIsAlsoCacheInvariant() {
        try (TableCodec codec = new TableCodec(1, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(1, 4, V), codec, 5)) {
            randomiseHeadOutput(model);
            CalmGenerator gen = new CalmGenerator(model, PAD, 99);
            CalmGenerator.Options o = CalmGenerator.Options.sample(6, 8).withTemperature(0.7);
            int[] prompt = {1, 2, 3, 4};
            assertThat(gen.generate(prompt, o)).hasSize(6).containsExactly(gen.generate(prompt, o.withCache(false)));
        }
    }

    @Test
    void stopsAtEosAndAtTheContext() {
        try (TableCodec codec = new TableCodec(2, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(2, 8, V), codec, 5)) {
            // the untrained head always outputs z = 0, which decodes to one fixed chunk
            int[] z = CalmBrierTest.zeroChunk(codec);
            int[] prompt = {1, 2, 3, 4};
            assertThat(new CalmGenerator(model, PAD, z[0]).generate(prompt, CalmGenerator.Options.sample(50, 1))).isEmpty();
            int[] some = new CalmGenerator(model, PAD, 99).generate(prompt, CalmGenerator.Options.sample(7, 1));
            assertThat(some).containsExactly(z[0], z[1], z[0], z[1], z[0], z[1], z[0]);
            // context 32 chunks, prompt 2 chunks: 31 more chunks fit as inputs, the last one is only output
            int[] all = new CalmGenerator(model, PAD, 99).generate(prompt, CalmGenerator.Options.sample(1000, 1));
            assertThat(all).hasSize(2 * 31);
        }
    }

    @Test
    void profileTimesEachPartAndRejectsBadStepCounts() {
        try (TableCodec codec = new TableCodec(4, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(4, 16, V), codec, 5)) {
            CalmGenerator g = new CalmGenerator(model, 0, -1);
            CalmGenerator.StepProfile p = g.profile(3);
            assertThat(p.backboneMs()).isPositive();
            assertThat(p.headMs()).isPositive();
            assertThat(p.decodeMs()).isPositive();
            assertThat(p.totalMs()).isEqualTo(p.backboneMs() + p.headMs() + p.decodeMs());
            int context = model.config().backbone().context();
            assertThatThrownBy(() -> g.profile(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("steps = 0");
            assertThatThrownBy(() -> g.profile(context)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("half the context");
        }
    }

    @Test
    void rejectsBadPromptsAndTemperatures() {
        try (TableCodec codec = new TableCodec(4, 4, V, 0.3f, 1);
             CalmModel model = CalmModel.create(CalmConfig.tiny(4, 16, V), codec, 5)) {
            CalmGenerator gen = new CalmGenerator(model, PAD, EOS);
            assertThatThrownBy(() -> gen.generate(new int[0], CalmGenerator.Options.sample(4, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt is empty");
            assertThatThrownBy(() -> gen.generate(new int[33 * 4], CalmGenerator.Options.sample(4, 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than the context of 32 chunks");
            assertThatThrownBy(() -> CalmGenerator.Options.sample(4, 1).withTemperature(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature = 0.0");
            assertThatThrownBy(() -> CalmGenerator.Options.sample(4, 1).withTemperature(1.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
            assertThatThrownBy(() -> CalmGenerator.Options.sample(4, 1).withMode(TemperatureSampler.Mode.BATCH).withTemperature(0.7))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 1/n");
        }
    }
}
