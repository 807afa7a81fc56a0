package org.calmnest.lib.bench;

import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainBatch;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The harness's small parts: throughput arithmetic, batches, /proc parsing, child processes. */
class SupportTest {

    @Test
    void throughputCountsOnlyTheStepsAfterWarmup() {
        // steps of 1 s, 2 s, 3 s, 5 s: after one warm-up step, 30 tokens and 300 FLOPs in 10 s
        List<StepRecord> r = List.of(
                new StepRecord(1, 10, 4.0, 1e-3, 1, 10, 100, 1.0),
                new StepRecord(2, 20, 3.0, 1e-3, 1, 5, 200, 3.0),
                new StepRecord(3, 30, 2.0, 1e-3, 1, 3, 300, 6.0),
                new StepRecord(4, 40, 1.0, 1e-3, 1, 2, 400, 11.0));
        TrainingThroughput.Result t = TrainingThroughput.fromRecords(r, 1);
        assertThat(t.tokensPerSecond()).isCloseTo(3.0, within(1e-12));
        assertThat(t.flopsPerSecond()).isCloseTo(30.0, within(1e-12));
        assertThat(t.medianStepSeconds()).isCloseTo(3.0, within(1e-12));
        assertThat(t.minStepSeconds()).isCloseTo(2.0, within(1e-12));
        assertThat(t.steps()).isEqualTo(3);
        assertThat(t.finalLoss()).isEqualTo(1.0);
        assertThat(t.efficiency(60.0)).isCloseTo(0.5, within(1e-12));
        assertThat(TrainingThroughput.fromRecords(r.subList(0, 2), 1).medianStepSeconds()).isCloseTo(2.0, within(1e-12));
        assertThatThrownBy(() -> TrainingThroughput.fromRecords(r.subList(0, 1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmup");
    }

    @Test
    void syntheticBatchesAreDeterministicInRangeAndCycle() {
        SyntheticBatches a = new SyntheticBatches(7, 2, 5, 3, 1);
        SyntheticBatches b = new SyntheticBatches(7, 2, 5, 3, 1);
        Iterator<TrainBatch> ia = a.train(0);
        Iterator<TrainBatch> ib = b.train(99);
        TrainBatch first = ia.next();
        assertThat(first.ids()).isEqualTo(ib.next().ids());
        assertThat(java.util.Arrays.stream(first.ids()).allMatch(i -> i >= 0 && i < 7)).isTrue();
        assertThat(first.tokens()).isEqualTo(10);
        ia.next();
        ia.next();
        assertThat(ia.next()).isSameAs(first);
        assertThat(a.validation()).isEmpty();
        assertThatThrownBy(() -> new SyntheticBatches(0, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vocab 0");
    }

    @Test
    void procStatusIsRead() {
        assertThat(ProcessMemory.kbField("VmRSS:\t  123456 kB")).isEqualTo(123456);
        ProcessMemory.Snapshot s = ProcessMemory.read();
        assertThat(s.rss()).isPositive();
        assertThat(s.peakRss()).isGreaterThanOrEqualTo(s.rss());
        assertThat(s.nativeEstimate()).isLessThan(s.rss());
        assertThat(ProcessMemory.mib(3 * 1024 * 1024 / 2)).isEqualTo("1.5");
    }

    @Test
    void childProcessExitCodeOutputAndTimeout() {
        ChildProcess.Outcome ok = ChildProcess.run(List.of("sh", "-c", "echo noise; echo '{\"a\": 1}'; echo tail; exit 3"), 20);
        assertThat(ok.exitCode()).isEqualTo(3);
        assertThat(ok.ok()).isFalse();
        assertThat(ok.lastJsonLine()).isEqualTo("{\"a\": 1}");
        ChildProcess.Outcome slow = ChildProcess.run(List.of("sleep", "30"), 0.3);
        assertThat(slow.timedOut()).isTrue();
        ChildProcess.Outcome missing = ChildProcess.run(List.of("/nonexistent/calmnest-python"), 5);
        assertThat(missing.ok()).isFalse();
        assertThat(missing.output()).contains("could not start");
    }

    @Test
    void childJavaCommandCarriesThisClasspath() {
        List<String> cmd = ChildProcess.javaCommand(Bf16Probe.class, "64");
        assertThat(cmd.get(0)).endsWith("java");
        assertThat(cmd).contains("org.calmnest.lib.bench.Bf16Probe", "64");
        assertThat(cmd.get(cmd.indexOf("-cp") + 1)).contains("classes");
    }
}
