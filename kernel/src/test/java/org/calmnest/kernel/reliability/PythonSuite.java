package org.calmnest.kernel.reliability;

import org.calmnest.kernel.eval.ClassPaths;
import org.junit.jupiter.api.Assumptions;

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

/**
 * Runs one Python file of {@code src/test/python/reliability} (jupyter_client) against the real
 * kernel, installed into a temporary prefix with a 1500 MB heap; skipped when Debian's python3
 * with jupyter_client is missing.
 */
final class PythonSuite {

    /** Exit status and combined output of the Python run. */
    record Result(boolean finished, int exit, String output) {
        boolean passed() {
            return finished && exit == 0;
        }
    }

    private PythonSuite() {
    }

    static Result run(String module, Map<String, String> env, int timeoutSeconds) throws Exception {
        String python = System.getProperty("calmnest.python", "/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(Paths.get(python)), python + " is missing");
        Path tmp = Files.createTempDirectory("calmnest-reliability");
        try {
            Method install = Class.forName("org.calmnest.kernel.Main").getDeclaredMethod("installCommand", String[].class);
            install.setAccessible(true);
            install.invoke(null, (Object) new String[]{"install", "--prefix", tmp.toString(), "--classpath",
                    String.join(File.pathSeparator, ClassPaths.current()), "--jvm-opt", "-Xmx1500m",
                    "--jvm-opt", "-Dcalmnest.kernel.stopGraceMs=1000"});
            Path dir = Paths.get("src/test/python/reliability").toAbsolutePath();
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(python, "-m", "unittest", "-v", module)))
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
            e.putAll(env);
            Process p = pb.start();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(done, done ? p.exitValue() : -1, done ? out : out + "\n(timed out after " + timeoutSeconds + " s)");
        } finally {
            try (var w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
