package org.calmnest.lib.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ForgettingMatrixTest {

    private static final double[][] ACC = {
            {0.8, 0.1, 0.2},
            {0.6, 0.7, 0.3},
            {0.5, 0.65, 0.9}};

    @Test
    void accuracyMetricsMatchHandComputation() {
        ForgettingMatrix m = ForgettingMatrix.ofAccuracy(ACC, new double[]{0.05, 0.1, 0.15});
        assertThat(m.averageScore()).isCloseTo((0.5 + 0.65 + 0.9) / 3, within(1e-12));
        assertThat(m.backwardTransfer()).isCloseTo(((0.5 - 0.8) + (0.65 - 0.7)) / 2, within(1e-12));
        assertThat(m.forwardTransfer()).isCloseTo(((0.1 - 0.1) + (0.3 - 0.15)) / 2, within(1e-12));
        assertThat(m.forgetting(0, 1)).isCloseTo(0.2, within(1e-12));
        assertThat(m.forgetting(0, 2)).isCloseTo(0.3, within(1e-12));   // max(0.8, 0.6) - 0.5
        assertThat(m.forgetting(1, 2)).isCloseTo(0.05, within(1e-12));  // max(0.1, 0.7) - 0.65
        assertThat(m.averageForgetting(1)).isCloseTo(0.2, within(1e-12));
        assertThat(m.averageForgetting()).isCloseTo(0.175, within(1e-12));
        assertThat(m.summary().backwardTransfer()).isCloseTo(-0.175, within(1e-12));
    }

    @Test
    void lossMetricsFlipSignSoForgettingIsStillPositive() {
        double[][] loss = {
                {1.0, 3.0, 3.2},
                {1.5, 1.2, 2.8},
                {1.7, 1.4, 1.1}};
        ForgettingMatrix m = ForgettingMatrix.ofLoss(loss, new double[]{4, 4, 4});
        assertThat(m.averageScore()).isCloseTo(1.4, within(1e-12));
        assertThat(m.backwardTransfer()).isCloseTo(-0.45, within(1e-12));   // ((1.0-1.7)+(1.2-1.4))/2
        assertThat(m.forwardTransfer()).isCloseTo(1.1, within(1e-12));      // ((4-3.0)+(4-2.8))/2
        assertThat(m.forgetting(0, 2)).isCloseTo(0.7, within(1e-12));       // 1.7 - min(1.0, 1.5)
        assertThat(m.forgetting(1, 2)).isCloseTo(0.2, within(1e-12));       // 1.4 - min(3.0, 1.2)
        assertThat(m.averageForgetting()).isCloseTo(0.45, within(1e-12));
    }

    @Test
    void twoTasksGiveOneTermAverages() {
        ForgettingMatrix m = ForgettingMatrix.ofAccuracy(new double[][]{{0.9, 0.2}, {0.4, 0.8}}, new double[]{0.1, 0.1});
        assertThat(m.backwardTransfer()).isCloseTo(-0.5, within(1e-12));
        assertThat(m.forwardTransfer()).isCloseTo(0.1, within(1e-12));
        assertThat(m.averageForgetting()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rejectsOneTaskRaggedAndBadBaseline() {
        assertThatThrownBy(() -> ForgettingMatrix.ofAccuracy(new double[][]{{0.5}}, new double[]{0.1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 tasks");
        assertThatThrownBy(() -> ForgettingMatrix.ofAccuracy(new double[][]{{0.5, 0.1}, {0.2}}, new double[]{0.1, 0.1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1").hasMessageContaining("square");
        assertThatThrownBy(() -> ForgettingMatrix.ofLoss(new double[][]{{1, 2}, {1, 2}}, new double[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline");
        assertThatThrownBy(() -> ForgettingMatrix.ofLoss(new double[][]{{1, Double.NaN}, {1, 2}}, new double[]{1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("R[0][1]");
        ForgettingMatrix m = ForgettingMatrix.ofAccuracy(ACC, new double[3]);
        assertThatThrownBy(() -> m.forgetting(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
