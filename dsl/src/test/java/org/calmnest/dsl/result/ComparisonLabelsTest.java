package org.calmnest.dsl.result;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two models of the same shape get distinct labels (XChart refuses two series of one name). */
class ComparisonLabelsTest {

    @Test
    void repeatedNamesAreNumberedInOrderAndUniqueOnesStayAsTheyAre() {
        assertThat(Comparison.labels(List.of("calm K=4", "transformer d=96", "transformer d=96", "x", "transformer d=96")))
                .containsExactly("calm K=4", "transformer d=96 [1]", "transformer d=96 [2]", "x", "transformer d=96 [3]");
        assertThat(Comparison.labels(List.of("a", "b"))).containsExactly("a", "b");
    }
}
