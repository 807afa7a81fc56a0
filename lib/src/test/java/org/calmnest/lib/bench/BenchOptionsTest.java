package org.calmnest.lib.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void allExpandsToEveryBenchmarkInCanonicalOrder() {
        BenchOptions o = BenchOptions.parse("all");
        assertThat(o.names()).isEqualTo(BenchOptions.KNOWN);
        assertThat(o.widths()).containsExactly(256, 512);
        assertThat(o.quick()).isFalse();
        assertThat(o.out()).isEqualTo(Path.of("lib/results/benchmarks.md"));
    }

    @Test
    void namesAreReorderedAndOptionsRead() {
        BenchOptions o = BenchOptions.parse("torch", "matmul,memory", "--widths", "128,64", "--quick", "--threads", "2",
                "--device", "cpu", "--out", "/tmp/x.md", "--python", "py");
        assertThat(o.names()).containsExactly("matmul", "torch", "memory");
        assertThat(o.widths()).containsExactly(128, 64);
        assertThat(o.quick()).isTrue();
        assertThat(o.threads()).isEqualTo(2);
        assertThat(o.device()).isEqualTo("cpu");
        assertThat(o.python()).isEqualTo("py");
        assertThat(o.has("torch")).isTrue();
        assertThat(o.has("calm")).isFalse();
    }

    @Test
    void noNameMeansAll() {
        assertThat(BenchOptions.parse("--quick").names()).isEqualTo(BenchOptions.KNOWN);
    }

    @Test
    void unknownNameIsRejectedWithTheList() {
        assertThatThrownBy(() -> BenchOptions.parse("matmul", "speed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"speed\"").hasMessageContaining("transformer").hasMessageContaining("all");
    }

    @Test
    void unknownWidthIsRejected() {
        assertThatThrownBy(() -> BenchOptions.parse("--widths", "256,300"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300").hasMessageContaining("multiples of 64");
        assertThatThrownBy(() -> BenchOptions.parse("--widths", "2048"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
        assertThatThrownBy(() -> BenchOptions.parse("--widths", "big"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"big\"");
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> BenchOptions.parse("--widths"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchOptions.parse("--threads", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--threads 0");
    }
}
