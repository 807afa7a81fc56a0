package org.calmnest.dsl.reliability;

import org.calmnest.dsl.Calmnest;
import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.result.TrainedTransformer;
import org.calmnest.lib.data.Corpus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native memory soak in one JVM: rounds of train, evaluate, generate, train again, close (what a
 * notebook does all afternoon). Resident memory (VmRSS) must stop growing: after warm-up, the
 * growth over the later rounds stays under a bound far below what one leaked model per round
 * would add. The slow variant records the curve into target/reliability-soak.csv.
 */
class NativeMemorySoakTest {

    @Test
    void rssStopsGrowingOverTwelveRounds() throws IOException {
        long[] rss = soak(12, null);
        long growth = rss[rss.length - 1] - rss[5];
        assertThat(growth).as("RSS growth over rounds 6..12 in KiB; curve " + java.util.Arrays.toString(rss))
                .isLessThan(48 * 1024);
    }

    @Test
    @Tag("slow")
    void rssStopsGrowingOverTwoHundredRounds() throws IOException {
        Path csv = Path.of("target", "reliability-soak.csv");
        long[] rss = soak(200, csv);
        long lateGrowth = rss[199] - rss[99];
        System.out.println("[reliability] soak RSS KiB: round 1 " + rss[0] + ", 10 " + rss[9] + ", 50 " + rss[49]
                + ", 100 " + rss[99] + ", 150 " + rss[149] + ", 200 " + rss[199] + "; growth 100..200 = " + lateGrowth + " KiB");
        assertThat(lateGrowth).as("RSS growth over rounds 100..200 in KiB").isLessThan(32 * 1024);
    }

    /** Runs the rounds; returns VmRSS (KiB) after each, measured after a GC. */
    private static long[] soak(int rounds, Path csv) throws IOException {
        Corpus corpus = TinyCorpus.get();
        long[] rss = new long[rounds];
        List<String> lines = new ArrayList<>(List.of("round,rss_kib,heap_used_kib"));
        for (int r = 0; r < rounds; r++) {
            try (TrainedTransformer lm = Calmnest.transformer().width(32).heads(2).layers(1).context(32).batch(4)
                    .seed(r).train(corpus, Calmnest.steps(3))) {
                assertThat(lm.evaluate().loss()).isFinite();
                assertThat(lm.generate("The Council", Calmnest.temperature(0.5).tokens(24))).isNotNull();
                lm.train(Calmnest.steps(2));
                assertThat(lm.brierLM().brierLM()).isFinite();
            }
            System.gc();
            rss[r] = vmRssKib();
            Runtime rt = Runtime.getRuntime();
            lines.add((r + 1) + "," + rss[r] + "," + (rt.totalMemory() - rt.freeMemory()) / 1024);
        }
        if (csv != null) {
            Files.createDirectories(csv.toAbsolutePath().getParent());
            Files.write(csv, lines);
        }
        return rss;
    }

    static long vmRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }
}
