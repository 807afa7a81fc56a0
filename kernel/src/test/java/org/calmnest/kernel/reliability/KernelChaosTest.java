package org.calmnest.kernel.reliability;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code src/test/python/reliability/test_chaos.py} (jupyter_client) against the real
 * kernel: throwing cells, heap exhaustion, megabytes of output, endless cells, an interrupt storm
 * and a restart during training. Slow (minutes).
 */
@Tag("slow")
class KernelChaosTest {

    @Test
    @Timeout(900)
    void theKernelSurvivesChaosCells() throws Exception {
        PythonSuite.Result r = PythonSuite.run("test_chaos", Map.of(), 880);
        System.out.println(r.output());
        assertThat(r.passed()).as("test_chaos.py:\n" + r.output()).isTrue();
    }
}
