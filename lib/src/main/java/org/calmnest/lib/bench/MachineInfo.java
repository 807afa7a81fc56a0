package org.calmnest.lib.bench;

import ai.djl.engine.Engine;
import org.calmnest.lib.runtime.TorchRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine and software a benchmark ran on, read from {@code /proc/cpuinfo}, {@code /proc/meminfo}
 * and the engine, so every report says where its numbers come from.
 *
 * @param cpuModel     "model name" of the first processor in /proc/cpuinfo
 * @param cores        processors the JVM may use
 * @param memoryBytes  MemTotal of /proc/meminfo (0 when unreadable)
 * @param os           os.name os.version os.arch
 * @param java         java.vm.name and java.version
 * @param djl          DJL version
 * @param pytorch      libtorch version the engine loaded
 * @param device       the device the benchmarks use
 * @param gpus         GPUs the engine sees
 * @param threads      libtorch intra-op threads
 */
public record MachineInfo(String cpuModel, int cores, long memoryBytes, String os, String java, String djl,
                          String pytorch, String device, int gpus, int threads) {

    /** Reads the current machine; {@code device} and {@code threads} are the run's settings. */
    public static MachineInfo detect(String device, int threads) {
        Engine e = TorchRuntime.engine();
        return new MachineInfo(readCpuModel(), Runtime.getRuntime().availableProcessors(), memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Engine.getDjlVersion(), e.getVersion(), device, TorchRuntime.gpuCount(), threads);
    }

    static String readCpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    static long memTotal() {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return ProcessMemory.kbField(line) * 1024;
            }
        }
        return 0;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The report's machine table as Markdown rows. */
    public String markdown() {
        return "| | |\n|---|---|\n"
                + "| CPU | " + cpuModel + " |\n"
                + "| cores | " + cores + " |\n"
                + "| memory | " + String.format("%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024)) + " |\n"
                + "| GPU | " + (gpus == 0 ? "none" : gpus + " (engine)") + " |\n"
                + "| OS | " + os + " |\n"
                + "| Java | " + java + " |\n"
                + "| DJL | " + djl + " |\n"
                + "| PyTorch (libtorch) | " + pytorch + " |\n"
                + "| device used | " + device + " |\n"
                + "| libtorch threads | " + threads + " |\n";
    }
}
