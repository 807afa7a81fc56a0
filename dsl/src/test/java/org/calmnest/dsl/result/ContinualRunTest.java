package org.calmnest.dsl.result;

import org.calmnest.dsl.TinyCorpus;
import org.calmnest.lib.data.Corpus;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

class ContinualRunTest {

    static Corpus other() {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add("Die Kommission unterstützt den Bericht " + i + ". Der Rat nimmt den Haushalt an.");
        }
        return Corpus.ofTexts("tiny-de", docs);
    }

    @Test
    void twoTasksGiveAnRMatrixCurvesAndForgettingMetrics() {
        var spec = nested().levels(1, 2).width(16).heads(2).layers(1).levelInner(16).context(16).batch(4);
        try (ContinualRun run = spec.train(tasks(TinyCorpus.get(), other()), stepsPerTask(4).evalEvery(2))) {
            assertThat(run.tasksDone()).isEqualTo(2);
            assertThat(run.history().stepCount()).isEqualTo(8);
            ForgettingReport f = run.forgetting();
            assertThat(f.matrix().rowCount()).isEqualTo(2);
            assertThat(f.matrix().columnNames()).containsExactly("after", "tiny", "tiny-de");
            assertThat(f.table().columnNames()).containsExactly("metric", "accuracy", "bitsPerByte");
            assertThat(f.table().rowCount()).isEqualTo(4);
            assertThat(f.heatmap().getHeatMapSeries().getHeatData()).hasSize(4);
            assertThat(f.accuracy().tasks()).isEqualTo(2);
            assertThat(f.toString()).doesNotContain("\n").contains("ACC");
            XYChart c = run.plot();
            assertThat(c.getSeriesMap().keySet()).containsExactly("tiny", "tiny-de", "start of tiny-de");
            assertThat(c.getTitle()).isEqualTo("Held-out loss per task (" + run.name() + ", seed " + spec.settings().seed() + ")");
            // baseline at step 0, every 2 steps, after each task (deduplicated): 0, 2, 4, 6, 8
            assertThat(c.getSeriesMap().get("tiny").getXData()).hasSize(5);
            assertThat(c.getSeriesMap().get("start of tiny-de").getXData()).containsExactly(4.0, 4.0);
            assertThat(run.summary().split("\n").length).isLessThanOrEqualTo(15);
            assertThat(run.mimeBundle()).containsKeys("text/html", "image/png");
            assertThat(f.mimeBundle()).containsKeys("text/html", "image/png");
        }
    }

    @Test
    void specValidationAndImmutability() {
        var a = nested();
        var b = a.levels(1, 4).memory(selfModifying()).lrMatched();
        assertThat(a.periods()).containsExactly(1, 8, 64);
        assertThat(a.matchedRates()).isFalse();
        assertThat(b.periods()).containsExactly(1, 4);
        assertThat(b.matchedRates()).isTrue();
        assertThat(b).isNotEqualTo(a).isEqualTo(a.levels(1, 4).memory(selfModifying()).lrMatched());
        assertThatThrownBy(() -> a.levels()).hasMessageContaining("number of levels = 0");
        assertThatThrownBy(() -> a.levels(1, 0)).hasMessageContaining("period of level 1 = 0").hasMessageContaining(">= 1");
        assertThatThrownBy(() -> a.levels(8, 1)).hasMessageContaining("fastest first");
        assertThatThrownBy(() -> a.memory(null)).hasMessageContaining("memory is null");
        assertThatThrownBy(() -> a.width(30).validate()).hasMessageContaining("heads = 4");
        assertThatThrownBy(() -> a.train(null, stepsPerTask(1))).hasMessageContaining("tasks is null");
    }
}
