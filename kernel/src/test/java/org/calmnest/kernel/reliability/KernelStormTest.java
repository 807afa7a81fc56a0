package org.calmnest.kernel.reliability;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interrupt storms against the real kernel ({@code src/test/python/reliability/test_storm.py}):
 * 100 interrupt requests per storm (50 while a busy cell runs, 50 while idle), each followed by
 * ordinary cells that must run and show their values. Two storms by default, twenty in the slow run.
 */
class KernelStormTest {

    @Test
    @Timeout(300)
    void twoStormsInOneSession() throws Exception {
        PythonSuite.Result r = PythonSuite.run("test_storm", Map.of("STORM_ROUNDS", "2"), 280);
        System.out.println(r.output());
        assertThat(r.passed()).as("test_storm.py:\n" + r.output()).isTrue();
    }

    @Test
    @Tag("slow")
    @Timeout(900)
    void twentyStormsInOneSession() throws Exception {
        PythonSuite.Result r = PythonSuite.run("test_storm", Map.of("STORM_ROUNDS", "20"), 880);
        System.out.println(r.output());
        assertThat(r.passed()).as("test_storm.py:\n" + r.output()).isTrue();
    }
}
