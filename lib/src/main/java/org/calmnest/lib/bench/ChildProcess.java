package org.calmnest.lib.bench;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command in a child process and captures its output: the PyTorch comparison (Python) and
 * probes that may kill their process (the CPU bf16 cast aborts the JVM with std::terminate, so it
 * is only ever tried in a child JVM).
 */
public final class ChildProcess {

    /** Exit code (-1 on timeout) and everything the child printed (stdout and stderr merged). */
    public record Outcome(int exitCode, String output, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }

        /** The last line that starts with '{' (the JSON result line of our scripts), or null. */
        public String lastJsonLine() {
            String found = null;
            for (String line : output.split("\n")) {
                if (line.trim().startsWith("{")) {
                    found = line.trim();
                }
            }
            return found;
        }
    }

    private ChildProcess() {
    }

    /** Runs {@code command} with a wall-clock limit; a child past the limit is killed. */
    public static Outcome run(List<String> command, double timeoutSeconds) {
        try {
            Path log = Files.createTempFile("calmnest-bench-child", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                boolean done = p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                return new Outcome(done ? p.exitValue() : -1, out, !done);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            return new Outcome(-1, "could not start " + command.get(0) + ": " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(-1, "interrupted", false);
        }
    }

    /** A command line that runs {@code mainClass} in a new JVM with this process's classpath. */
    public static List<String> javaCommand(Class<?> mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-cp");
        cmd.add(classPath(mainClass.getClassLoader()));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The classpath this code was loaded with: the class loader's URLs under exec:java (Maven's
     * class realm), else {@code java.class.path}.
     */
    static String classPath(ClassLoader loader) {
        List<String> parts = new ArrayList<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    try {
                        parts.add(Paths.get(url.toURI()).toString());
                    } catch (URISyntaxException | RuntimeException e) {
                        parts.add(url.getPath());
                    }
                }
            }
        }
        String own = System.getProperty("java.class.path", "");
        if (!own.isEmpty()) {
            parts.add(own);
        }
        return String.join(File.pathSeparator, parts);
    }
}
