package org.calmnest.lib.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary files of {@link CheckpointFile}'s atomic writes, and the removal of those that a
 * killed writer left behind.
 *
 * <p>A writer names its temporary file {@code .<target>.<pid>-<random>.tmp} (pid = the writing
 * process). A file of that pattern is stale, and removed, only when both hold:
 * <ul>
 *   <li>it was last modified before this JVM started ("older than the writer" that cleans up), and</li>
 *   <li>its writer is gone: no live process has that pid, or the process with that pid started
 *       after the file was last written (the pid was reused), or the pid is this process's own
 *       (which had not started when the file was written).</li>
 * </ul>
 * A live writer (its process runs and started before its file's last write) is never touched,
 * whatever the file's age. Files of the pattern of earlier versions ({@code .<target>.<digits>.tmp},
 * no pid) are removed when last modified before this JVM started and at least
 * {@link #LEGACY_MIN_AGE} ago. Nothing else in the directory is touched. Removal is best effort:
 * a file that cannot be listed or deleted stays, and the save or load goes on.
 */
public final class CheckpointFileTemps {

    /** Minimum age of a pid-less temporary file of an earlier version before it is removed. */
    public static final Duration LEGACY_MIN_AGE = Duration.ofMinutes(10);

    private static final Pattern CURRENT = Pattern.compile("\\..+\\.(\\d{1,19})-\\d+\\.tmp");
    private static final Pattern LEGACY = Pattern.compile("\\..+\\.\\d+\\.tmp");
    private static final long PID = ProcessHandle.current().pid();
    private static final Instant JVM_START = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());

    private CheckpointFileTemps() {
    }

    /** Creates this process's temporary file for an atomic write of {@code target}. */
    static Path create(Path dir, Path target) throws IOException {
        return Files.createTempFile(dir, "." + target.getFileName() + "." + PID + "-", ".tmp");
    }

    /**
     * Removes the stale temporary files in {@code dir} (see the class comment).
     *
     * @return how many were removed
     */
    public static int removeStale(Path dir) {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path f : files) {
                try {
                    if (isStale(f) && Files.deleteIfExists(f)) {
                        removed++;
                    }
                } catch (IOException | SecurityException ignored) {
                    // another process removed it, or it is not ours to remove: leave it
                }
            }
        } catch (IOException | SecurityException ignored) {
            // an unlistable directory: the save or load itself reports real problems
        }
        return removed;
    }

    /** True when {@code f} is a temporary file of a writer that is gone (see the class comment). */
    static boolean isStale(Path f) throws IOException {
        String name = f.getFileName().toString();
        Matcher m = CURRENT.matcher(name);
        boolean current = m.matches();
        if (!current && !LEGACY.matcher(name).matches()) {
            return false;
        }
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            return false;
        }
        Instant written = a.lastModifiedTime().toInstant();
        if (!written.isBefore(JVM_START)) {
            return false;
        }
        if (!current) {
            return written.isBefore(Instant.now().minus(LEGACY_MIN_AGE));
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return false;
        }
        return pid == PID || !writerAlive(pid, written);
    }

    /** True when a process {@code pid} runs and started before {@code written} (or its start is unknown). */
    private static boolean writerAlive(long pid, Instant written) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Instant> started = p.get().info().startInstant();
        // start times are reported in whole seconds or clock ticks: allow two seconds of rounding
        return started.isEmpty() || !started.get().isAfter(written.plusSeconds(2));
    }
}
