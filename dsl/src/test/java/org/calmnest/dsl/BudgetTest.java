package org.calmnest.dsl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.calmnest.dsl.Calmnest.*;

class BudgetTest {

    @Test
    void factoriesSetOneLimit() {
        assertThat(steps(10)).isEqualTo(new Budget(10, 0, 0, 0));
        assertThat(minutes(2)).isEqualTo(new Budget(0, 120, 0, 0));
        assertThat(seconds(5)).isEqualTo(new Budget(0, 5, 0, 0));
        assertThat(tokens(1000)).isEqualTo(new Budget(0, 0, 1000, 0));
        assertThat(flops(1e9)).isEqualTo(new Budget(0, 0, 0, 1e9));
        assertThat(stepsPerTask(600).perTask().steps()).isEqualTo(600);
    }

    @Test
    void andTakesTheFirstLimitReachedInEachDimension() {
        Budget b = minutes(1).and(steps(500)).and(steps(200));
        assertThat(b).isEqualTo(new Budget(200, 60, 0, 0));
        assertThat(b.toString()).isEqualTo("Budget[200 steps or 1 min]");
    }

    @Test
    void badValuesNameFieldValueAndFix() {
        assertThatThrownBy(() -> steps(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("steps(0): steps = 0 is out of range; use steps(n) with n >= 1");
        assertThatThrownBy(() -> minutes(-1)).hasMessageContaining("minutes = -1.0").hasMessageContaining("m > 0");
        assertThatThrownBy(() -> seconds(Double.NaN)).hasMessageContaining("seconds = NaN");
        assertThatThrownBy(() -> tokens(-5)).hasMessageContaining("tokens = -5").hasMessageContaining("n >= 1");
        assertThatThrownBy(() -> flops(0)).hasMessageContaining("flops = 0.0").hasMessageContaining("flops(1e13)");
        assertThatThrownBy(() -> new Budget(0, 0, 0, 0)).hasMessageContaining("set at least one limit");
        assertThatThrownBy(() -> stepsPerTask(0)).hasMessageContaining("stepsPerTask(0): steps = 0");
        assertThatThrownBy(() -> sameFlopsAs(null)).hasMessageContaining("model is null");
        assertThatThrownBy(() -> new TaskBudget(minutes(1), 0)).hasMessageContaining("stepsPerTask(n)");
        assertThatThrownBy(() -> stepsPerTask(5).evalEvery(-1)).hasMessageContaining("evalEvery = -1");
    }

    @Test
    void temperatureValidation() {
        assertThat(temperature(0.5).t()).isEqualTo(0.5);
        assertThat(temperature(0.5).batch(100).exact()).isFalse();
        assertThatThrownBy(() -> temperature(0)).hasMessageContaining("t = 0.0").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> temperature(1.5)).hasMessageContaining("t = 1.5");
        assertThatThrownBy(() -> temperature(0.7).batch(100)).hasMessageContaining("T = 1/n").hasMessageContaining(".exact()");
        assertThatThrownBy(() -> temperature(0.5).batch(0)).hasMessageContaining("candidates = 0");
        assertThatThrownBy(() -> temperature(0.5).tokens(0)).hasMessageContaining("maxTokens = 0");
    }

    @Test
    void tokenizersDeviceAndSeed() {
        assertThat(bytes().toString()).isEqualTo("bytes()");
        assertThat(bpe(512).vocab()).isEqualTo(512);
        assertThatThrownBy(() -> bpe(100)).hasMessageContaining("bpe(100): vocab = 100").hasMessageContaining("at least 260");
        assertThatThrownBy(() -> device("tpu")).hasMessageContaining("device = tpu").hasMessageContaining("\"cpu\"");
        String before = device("auto");
        assertThat(before).isEqualTo("auto");
        assertThat(seed(42)).isEqualTo(42);
    }

    @Test
    void corporaAndTasks() {
        assertThatThrownBy(() -> text("/no/such/file.txt")).hasMessageContaining("does not exist")
                .hasMessageContaining("/no/such/file.txt");
        var c = texts("one doc", "two doc", "three doc");
        assertThat(c.size()).isEqualTo(3);
        assertThatThrownBy(() -> tasks(c)).hasMessageContaining("number of tasks = 1").hasMessageContaining("at least two");
        assertThatThrownBy(() -> tasks(c, c)).hasMessageContaining("different corpus");
        var t = tasks(c, texts("other", List.of("a", "b", "c")));
        assertThat(t.names()).containsExactly("texts", "other");
    }
}
