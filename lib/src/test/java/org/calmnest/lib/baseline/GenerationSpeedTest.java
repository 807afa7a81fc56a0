package org.calmnest.lib.baseline;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationSpeedTest {

    @Test
    void measuresBothPathsAndChargesTheUncachedPathItsFullPasses() {
        try (TokenLm lm = TokenLm.create(TokenLmTest.CFG, 2)) {
            int[] prompt = {1, 2, 3};
            GenerationSpeed.Result cached = GenerationSpeed.measure(lm, prompt, 8, 2, true);
            GenerationSpeed.Result full = GenerationSpeed.measure(lm, prompt, 8, 2, false);
            assertThat(cached.cached()).isTrue();
            assertThat(cached.newTokens()).isBetween(2L, 16L);
            assertThat(cached.tokensPerSecond()).isPositive();
            assertThat(full.flopsPerToken()).isGreaterThan(3 * cached.flopsPerToken());
            assertThat(cached.flopsPerToken()).isEqualTo(lm.inferenceFlopsPerToken(3, 8));
            assertThatThrownBy(() -> GenerationSpeed.measure(lm, prompt, 8, 0, true)).hasMessageContaining("runs = 0");
        }
    }
}
