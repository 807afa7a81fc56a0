package org.calmnest.lib.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Resident memory of this process from {@code /proc/self/status} (VmRSS now, VmHWM the peak) and
 * an estimate of the native (off-heap) part: RSS minus what the JVM has committed for its heap and
 * its own non-heap areas. libtorch's tensors live in that native part, so a leak of NDArrays shows
 * up there and not in the Java heap.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** One reading, in bytes (RSS and peak are 0 where /proc is unavailable). */
    public record Snapshot(long rss, long peakRss, long jvmCommitted, long heapUsed) {
        /** RSS minus the JVM's committed heap and non-heap memory: mostly libtorch and DJL buffers. */
        public long nativeEstimate() {
            return Math.max(0, rss - jvmCommitted);
        }
    }

    /** Reads the current figures after a garbage collection (so the heap part is settled). */
    public static Snapshot read() {
        System.gc();
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long committed = mx.getHeapMemoryUsage().getCommitted() + mx.getNonHeapMemoryUsage().getCommitted();
        long rss = 0;
        long hwm = 0;
        for (String line : status()) {
            if (line.startsWith("VmRSS:")) {
                rss = kbField(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = kbField(line) * 1024;
            }
        }
        return new Snapshot(rss, hwm, committed, mx.getHeapMemoryUsage().getUsed());
    }

    /**
     * Resets the kernel's peak-RSS counter (VmHWM) to the current RSS by writing 5 to
     * /proc/self/clear_refs (Linux 4.0+), so the next {@link #read()} gives the peak of what ran
     * in between. Returns false where that is not possible (the peak then covers the whole process).
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5", StandardOpenOption.WRITE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<String> status() {
        try {
            return Files.readAllLines(STATUS);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The number of a "Name:   123 kB" line. */
    static long kbField(String line) {
        String digits = line.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    /** Bytes as MiB with one decimal. */
    public static String mib(long bytes) {
        return String.format("%.1f", bytes / (1024.0 * 1024.0));
    }
}
