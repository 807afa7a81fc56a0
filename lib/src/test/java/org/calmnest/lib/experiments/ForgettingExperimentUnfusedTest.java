package org.calmnest.lib.experiments;

import ai.djl.ndarray.NDManager;
import org.calmnest.lib.nested.HopeModel;
import org.calmnest.lib.nested.NestedLm;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.AdamW;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForgettingExperimentUnfusedTest {

    @Test
    void keepsEveryGroupButGivesEachItsOwnUnfusedAdamW() {
        BackboneConfig bb = new BackboneConfig(8, 1, 2, 8, 8, 10000);
        TrainConfig tc = TrainConfig.defaults(2).withWeightDecay(0.1);
        try (NestedLm lm = new NestedLm(HopeModel.arm("cms", 16, 0, bb, new int[]{1, 2}, null), 1)) {
            ForgettingExperimentUnfused u = new ForgettingExperimentUnfused(lm, tc);
            List<ParameterGroup> inner = lm.parameterGroups();
            List<ParameterGroup> groups = u.parameterGroups();
            assertThat(groups).extracting(ParameterGroup::period).containsExactly(1, 2);
            for (int i = 0; i < groups.size(); i++) {
                assertThat(groups.get(i).params()).isEqualTo(inner.get(i).params());
                assertThat(groups.get(i).lrScale()).isEqualTo(inner.get(i).lrScale());
                assertThat(groups.get(i).optimizer()).isInstanceOf(AdamW.class);
                assertThat(((AdamW) groups.get(i).optimizer()).fused()).isFalse();
            }
            assertThat(groups.get(0).optimizer()).isNotSameAs(groups.get(1).optimizer());
            TrainBatch b = new TrainBatch(new int[]{1, 2, 3, 4, 5, 6}, 1, 6, 6, 6);
            TorchRuntime.noGrad();
            try (NDManager m = TorchRuntime.engine().newBaseManager()) {
                assertThat(u.loss(m, b, false).getFloat()).isEqualTo(lm.loss(m, b, false).getFloat());
                assertThat(u.evalMetrics(m, b)).isEqualTo(lm.evalMetrics(m, b));
            }
            assertThat(u.trainingFlops(b)).isEqualTo(lm.trainingFlops(b));
        }
    }
}
