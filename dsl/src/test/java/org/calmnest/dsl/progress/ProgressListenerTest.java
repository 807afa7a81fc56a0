package org.calmnest.dsl.progress;

import org.calmnest.dsl.display.DisplaySink;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainListener;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressListenerTest {

    /** A notebook-like sink that records what was shown. */
    static final class RecordingSink implements DisplaySink {
        final List<Object> shown = new ArrayList<>();
        final List<Object> updates = new ArrayList<>();

        @Override
        public String display(Object value) {
            shown.add(value);
            return "id-" + shown.size();
        }

        @Override
        public void update(String displayId, Object value) {
            assertThat(displayId).isEqualTo("id-1");
            updates.add(value);
        }

        @Override
        public boolean isRich() {
            return true;
        }
    }

    private static StepRecord step(int i) {
        return new StepRecord(i, 10L * i, 3.0 - 0.01 * i, 1e-3, 1, 100, 1e3 * i, 0.1 * i);
    }

    @Test
    void notebookUpdatesAreThrottledAndEndWithTheFinalChart() {
        RecordingSink sink = new RecordingSink();
        long[] now = {0};
        ProgressListener p = new ProgressListener(sink, System.out, () -> now[0], 0.34, false);
        p.onStart("tiny", new TrainListener.TrainConfigView(100, 0, 0, 0));
        for (int i = 1; i <= 100; i++) {
            now[0] += 100_000_000L; // 0.1 s per step
            p.onStep(step(i));
            if (i % 50 == 0) {
                p.onEval(new EvalRecord(i, 10L * i, 1e3 * i, 2.5, Map.of()));
            }
        }
        p.onEnd(100, false);
        assertThat(sink.shown).hasSize(1);
        // 10 s of training at <= 3 updates per second, plus the final one
        assertThat(sink.updates.size()).isBetween(20, 31);
        ProgressView last = (ProgressView) sink.updates.get(sink.updates.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.fraction()).isEqualTo(1.0);
        assertThat(last.train().size()).isEqualTo(100);
        assertThat(last.validation().size()).isEqualTo(2);
        assertThat(last.chart().getSeriesMap().keySet()).containsExactly("train loss", "validation loss");
        assertThat(last.mimeBundle()).containsKeys("text/plain", "text/html", "image/png");
        assertThat((String) last.mimeBundle().get("text/html")).contains("<progress value=\"100\"");
    }

    @Test
    void terminalLineShowsStepLossThroughputAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        long[] now = {0};
        DisplaySink terminal = org.calmnest.dsl.display.Displays.TERMINAL;
        ProgressListener p = new ProgressListener(terminal, out, () -> now[0], 2.0, false);
        p.onStart("tiny", new TrainListener.TrainConfigView(100, 0, 0, 0));
        for (int i = 1; i <= 40; i++) {
            now[0] += 100_000_000L;
            p.onStep(step(i));
        }
        p.onEnd(40, true);
        String text = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        // first step, then every 2 s (20 steps), then the end
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).startsWith("[tiny] step 21/100  loss 2.7900  100 tok/s  ETA 0:08");
        assertThat(lines[3]).startsWith("tiny interrupted after 40 steps; loss ");
    }

    @Test
    void etaUsesTheFirstBudgetToRunOut() {
        ProgressListener p = new ProgressListener(org.calmnest.dsl.display.Displays.TERMINAL,
                new PrintStream(new ByteArrayOutputStream()), () -> 0, 100, false);
        p.onStart("m", new TrainListener.TrainConfigView(Long.MAX_VALUE / 4, 5.0, 0, 0));
        p.onStep(step(1));
        p.onStep(step(11));
        assertThat(p.eta()).isCloseTo(3.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.fraction()).isCloseTo(1.1 / 5.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ProgressListener.clock(3725)).isEqualTo("1:02:05");
    }
}
