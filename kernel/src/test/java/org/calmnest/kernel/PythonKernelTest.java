package org.calmnest.kernel;

import org.calmnest.kernel.eval.ClassPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
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
 * Runs the Python suites in {@code src/test/python} against the real kernel, started by
 * jupyter_client from a kernelspec installed into a temporary prefix (never the user's folder).
 * Needs Debian's {@code /usr/bin/python3} with python3-jupyter-kernel-test, jupyter-client and
 * jupyter-console (installed by .ci/run); skipped when they are missing.
 */
class PythonKernelTest {

    static final String PYTHON = System.getProperty("calmnest.python", "/usr/bin/python3");
    static Path tmp;
    static Path jupyterPath;

    @BeforeAll
    static void installKernelspec() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Paths.get(PYTHON)), PYTHON + " is missing");
        Assumptions.assumeTrue(run(List.of(PYTHON, "-c", "import jupyter_kernel_test, jupyter_client"), Map.of(), 60)
                .exit == 0, "python3-jupyter-kernel-test / jupyter-client are not installed");
        tmp = Files.createTempDirectory("calmnest-kernel-test");
        String cp = String.join(File.pathSeparator, ClassPaths.current());
        Main.installCommand(new String[]{"install", "--prefix", tmp.toString(), "--classpath", cp,
                "--jvm-opt", "-Xmx1500m", "--jvm-opt", "-Dcalmnest.kernel.stopGraceMs=1000"});
        jupyterPath = tmp.resolve("share/jupyter");
        assertThat(jupyterPath.resolve("kernels/calmnest/kernel.json")).exists();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (tmp != null) {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(300)
    void jupyterKernelTestConformance() throws Exception {
        assertPythonPasses("test_conformance.py");
    }

    @Test
    @Timeout(600)
    void protocolInterruptDisplayBadInput() throws Exception {
        assertPythonPasses("test_protocol.py");
    }

    @Test
    @Timeout(300)
    void jupyterConsoleScriptedSession() throws Exception {
        Assumptions.assumeTrue(run(List.of(PYTHON, "-c", "import jupyter_console"), Map.of(), 60).exit == 0,
                "jupyter-console is not installed");
        assertPythonPasses("test_console.py");
    }

    private void assertPythonPasses(String file) throws Exception {
        Path dir = Paths.get("src/test/python").toAbsolutePath();
        Result r = run(List.of(PYTHON, "-m", "unittest", "-v", file.replace(".py", "")),
                Map.of("PYTHONPATH", dir.toString()), 580, dir);
        assertThat(r.exit).as("python %s failed:\n%s", file, r.output).isZero();
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
        return run(cmd, env, timeoutSeconds, Paths.get("").toAbsolutePath());
    }

    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("calmnest-python", ".log");
        pb.redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.putAll(env);
        if (jupyterPath != null) {
            e.put("JUPYTER_PATH", jupyterPath.toString());
            e.put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
            e.put("JUPYTER_DATA_DIR", tmp.resolve("data").toString());
            e.put("JUPYTER_CONFIG_DIR", tmp.resolve("config").toString());
            e.put("IPYTHONDIR", tmp.resolve("ipython").toString());
            e.put("CALMNEST_TEST_TMP", tmp.toString());
            e.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        }
        e.remove("PYTHONHOME");
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(done ? p.exitValue() : -1, done ? out : out + "\n(timed out after " + timeoutSeconds + " s)");
    }
}
