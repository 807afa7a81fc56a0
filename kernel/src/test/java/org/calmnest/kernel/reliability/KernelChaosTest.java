package org.calmnest.kernel.reliability;

import org.calmnest.kernel.eval.ClassPaths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code src/test/python/reliability/test_chaos.py} (jupyter_client) against the real
 * kernel, installed into a temporary prefix: throwing cells, heap exhaustion, megabytes of
 * output, endless cells, an interrupt storm and a restart during training. Slow (minutes);
 * skipped when Debian's python3 with jupyter_client is missing.
 */
@Tag("slow")
class KernelChaosTest {

    @Test
    @Timeout(900)
    void theKernelSurvivesChaosCells() throws Exception {
        String python = System.getProperty("calmnest.python", "/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(Paths.get(python)), python + " is missing");
        Path tmp = Files.createTempDirectory("calmnest-chaos");
        try {
            Method install = Class.forName("org.calmnest.kernel.Main").getDeclaredMethod("installCommand", String[].class);
            install.setAccessible(true);
            install.invoke(null, (Object) new String[]{"install", "--prefix", tmp.toString(), "--classpath",
                    String.join(File.pathSeparator, ClassPaths.current()), "--jvm-opt", "-Xmx1500m",
                    "--jvm-opt", "-Dcalmnest.kernel.stopGraceMs=1000"});
            Path dir = Paths.get("src/test/python/reliability").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(python, "-m", "unittest", "-v", "test_chaos")))
                    .directory(dir.toFile()).redirectErrorStream(true);
            Path log = tmp.resolve("python.log");
            pb.redirectOutput(log.toFile());
            Map<String, String> e = pb.environment();
            e.put("PYTHONPATH", dir.getParent().toString());
            e.put("JUPYTER_PATH", tmp.resolve("share/jupyter").toString());
            e.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
            e.put("JUPYTER_DATA_DIR", tmp.resolve("data").toString());
            e.put("JUPYTER_CONFIG_DIR", tmp.resolve("config").toString());
            e.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
            e.remove("PYTHONHOME");
            Process p = pb.start();
            boolean done = p.waitFor(880, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(out);
            assertThat(done && p.exitValue() == 0).as("test_chaos.py:\n" + out).isTrue();
        } finally {
            try (var w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
