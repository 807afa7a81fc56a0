package org.calmnest.lib.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM on the test class path that prints {@code saved N} lines; the parent tracks the last
 * N and kills the child with SIGKILL ({@link Process#destroyForcibly()} is SIGKILL on Linux).
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final AtomicLong lastSaved = new AtomicLong(0);
    private final StringBuilder tail = new StringBuilder();

    ChildJvm(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dai.djl.pytorch.num_threads=1");
        cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("saved ")) {
                        lastSaved.set(Long.parseLong(line.substring(6).trim()));
                    } else {
                        synchronized (tail) {
                            tail.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        }, "child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until the child reports at least {@code n} completed saves. */
    void awaitSaved(long n, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (lastSaved.get() < n) {
            if (!process.isAlive() || System.currentTimeMillis() > end) {
                throw new AssertionError("child did not reach save " + n + " (alive " + process.isAlive() + "):\n" + output());
            }
            Thread.sleep(5);
        }
    }

    long lastSaved() {
        return lastSaved.get();
    }

    String output() {
        synchronized (tail) {
            return tail.toString();
        }
    }

    /** SIGKILL, then waits for the process to be gone; returns its exit code (137 = killed). */
    int kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
