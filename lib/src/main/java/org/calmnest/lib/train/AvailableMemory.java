package org.calmnest.lib.train;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory a training run's tensors can use: for the CPU the physical memory the kernel reports
 * as available ({@code MemAvailable} of {@code /proc/meminfo}, capped by a container's memory
 * limit), for a GPU its free memory. The Java heap is not counted: DJL tensors live in native
 * memory. Set {@code -Dcalmnest.memoryCheck=false} to skip the pre-flight check.
 */
final class AvailableMemory {

    /** Memory available on a device, where it was read, and the device in words. */
    record Reading(long bytes, String source, String where) {
    }

    private AvailableMemory() {
    }

    /** The reading for {@code device}, or null when it cannot be read or the check is switched off. */
    static Reading of(Device device) {
        if (!Boolean.parseBoolean(System.getProperty("calmnest.memoryCheck", "true"))) {
            return null;
        }
        if (device != null && device.isGpu()) {
            try {
                MemoryUsage m = CudaUtils.getGpuMemory(device);
                long free = m.getMax() - m.getUsed();
                return free > 0 ? new Reading(free, "free GPU memory reported by CUDA", "GPU " + device.getDeviceId()) : null;
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                return null;
            }
        }
        return cpu();
    }

    private static Reading cpu() {
        long avail = meminfo("MemAvailable:");
        String source = "MemAvailable in /proc/meminfo; the Java heap does not count, tensors live in native memory";
        long limit = -1;
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            limit = os.getTotalMemorySize(); // the container's limit when there is one
            if (avail < 0) {
                avail = os.getFreeMemorySize();
                source = "free physical memory reported by the JVM; the Java heap does not count";
            }
        } catch (RuntimeException | LinkageError e) {
            // no com.sun.management: keep what /proc said
        }
        if (limit > 0 && avail > limit) {
            avail = limit;
            source = "the container's memory limit; the Java heap does not count, tensors live in native memory";
        }
        return avail > 0 ? new Reading(avail, source, "this machine (device cpu)") : null;
    }

    /** A {@code /proc/meminfo} field in bytes, or -1. */
    private static long meminfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
