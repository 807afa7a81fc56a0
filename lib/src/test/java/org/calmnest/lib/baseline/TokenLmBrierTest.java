package org.calmnest.lib.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.eval.BrierLm;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TokenLmBrierTest {

    @Test
    void brierOneOfAnUntrainedModelEqualsTheExactValueFromItsDistributions() {
        try (TokenLm lm = TokenLm.create(TokenLmTest.CFG, 4)) {
            TrainBatch batch = TokenLmTest.periodic(2, 9);
            BrierLm.Result r = TokenLmBrier.score(lm, List.of(batch), 1, true, 7);
            double expected = 0;
            try (NDManager m = lm.manager().newSubManager()) {
                NDArray ids = m.create(batch.ids(), new Shape(2, 9)).toType(DataType.INT64, false);
                float[] p = lm.net().logits(lm.parameterStore(), ids.get(":, 0:8"), false).softmax(2).toFloatArray(); // (2, 8, V)
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < 8; t++) {
                        double[] dist = new double[12];
                        for (int k = 0; k < 12; k++) {
                            dist[k] = p[(b * 8 + t) * 12 + k];
                        }
                        expected += BrierLm.exact(dist, batch.ids()[b * 9 + t + 1]);
                    }
                }
            }
            assertThat(r.brier(1)).isCloseTo(expected / 16, within(1e-5));
            // an almost uniform model: Brier-1 is near 1/V
            assertThat(r.brier(1)).isCloseTo(1.0 / 12, within(0.02));
            assertThatThrownBy(() -> TokenLmBrier.score(lm, List.of(batch), 0, true, 1)).hasMessageContaining("stride = 0");
        }
    }
}
