package org.calmnest.dsl.run;

import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.display.Session;
import org.calmnest.dsl.spec.RunSettings;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.calmnest.dsl.Calmnest.steps;

/** An interrupt (the kernel calls Session.interrupt()) stops DSL training within one step. */
class CancellationTest {

    @AfterEach
    void clear() {
        Session.beginCell();
    }

    @Test
    void interruptStopsWithinOneStepAndTheModelStaysUsable() {
        var tok = Tokenizers.bytes();
        try (TokenLm lm = TokenLm.create(TokenLmConfig.of(tok, new BackboneConfig(16, 1, 2, 48, 16, 10000)), 1)) {
            var data = new BlockBatches(TinyCorpus.get(), tok, 1, 16, 2, 2);
            TrainListener interruptAtThree = new TrainListener() {
                @Override
                public void onStep(StepRecord r) {
                    if (r.step() == 3) {
                        Session.interrupt();
                    }
                }
            };
            try (TrainingSession s = TrainingSession.train(lm, data, RunSettings.defaults(), steps(1000), interruptAtThree)) {
                assertThat(s.history().stepCount()).isEqualTo(3);
                assertThat(s.history().cancelled()).isTrue();
                // the rest of the cell is interrupted too: nothing trains until the next cell
                assertThat(s.continueTraining(steps(5)).stepCount()).isEqualTo(3);
                Session.beginCell();
                assertThat(s.continueTraining(steps(2)).stepCount()).isEqualTo(5);
                assertThat(s.history().cancelled()).isFalse();
                assertThat(Double.isFinite(s.evaluate().loss())).isTrue();
            }
        }
    }
}
