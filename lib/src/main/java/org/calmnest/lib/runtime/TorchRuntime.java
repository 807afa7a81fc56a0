package org.calmnest.lib.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.RandomUtils;

import java.util.Locale;

/**
 * The one place that starts DJL's PyTorch engine. It forces {@code ai.djl.offline=true} before
 * the engine loads, so the bundled native library from Maven Central is used and nothing is
 * ever downloaded at run time; it chooses the device and seeds every random source.
 */
public final class TorchRuntime {

    private TorchRuntime() {
    }

    /** Sets offline mode (unless the user set it explicitly) and returns the PyTorch engine. */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /** Engine, version, default device, thread settings and GPU count, as plain values. */
    public static EngineInfo info() {
        Engine e = engine();
        int interop = Integer.getInteger("ai.djl.pytorch.num_interop_threads", -1);
        int intra = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        return new EngineInfo(e.getEngineName(), e.getVersion(), device("auto").toString(),
                intra, interop, gpuCount(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Boolean.getBoolean("ai.djl.offline"));
    }

    /**
     * Chooses a device: {@code "auto"} (the first GPU when the engine reports one, else the CPU),
     * {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}.
     *
     * @throws IllegalArgumentException for an unknown name or a GPU that is not present
     */
    public static Device device(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device is empty: use \"auto\", \"cpu\", \"gpu\" or \"gpu:N\"");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        int gpus = gpuCount();
        if (n.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (n.equals("gpu") || n.startsWith("gpu:") || n.equals("cuda") || n.startsWith("cuda:")) {
            int id = 0;
            int colon = n.indexOf(':');
            if (colon > 0) {
                try {
                    id = Integer.parseInt(n.substring(colon + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("device \"" + name + "\": the GPU index is not a number; use \"gpu:0\"");
                }
            }
            if (id < 0 || id >= gpus) {
                throw new IllegalArgumentException("device \"" + name + "\": this engine sees " + gpus
                        + " GPU(s); use \"cpu\" or \"auto\", or run with the gpu Maven profile and a CUDA libtorch (README, Running on a GPU)");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("device \"" + name + "\" is unknown: use \"auto\", \"cpu\", \"gpu\" or \"gpu:N\"");
    }

    private static volatile int gpuCount = -1;

    /**
     * The engine's GPU count, asked once per process: DJL's probe logs a warning on every call on a
     * machine with a CUDA runtime but no driver, which would repeat in every notebook cell.
     */
    public static int gpuCount() {
        int n = gpuCount;
        if (n < 0) {
            n = engine().getGpuCount();
            gpuCount = n;
        }
        return n;
    }

    /** Seeds DJL's engine (PyTorch's generator) and DJL's Java-side random source so runs repeat. */
    public static void seed(long seed) {
        engine().setRandomSeed((int) seed);
        RandomUtils.RANDOM.setSeed(seed);
    }

    /**
     * Turns PyTorch's autograd recording off for the calling thread. PyTorch's grad mode is
     * per thread and ON in every new thread (DJL switches it off only on the thread that loaded
     * the engine, and a closed GradientCollector restores the mode it found), so code that
     * updates parameters in place or evaluates on another thread (a JShell or kernel cell, a
     * worker) must call this first: in-place updates of leaf parameters fail under grad mode,
     * and evaluation would record a graph for nothing.
     */
    public static void noGrad() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /** Whether autograd records on the calling thread. */
    public static boolean isGradMode() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.isGradMode();
    }

    /** Plain description of the engine, safe to print or put in a report. */
    public record EngineInfo(String engine, String version, String device, int intraOpThreads,
                             int interOpThreads, int gpuCount, int cpuCores, String javaVersion,
                             boolean offline) {
        @Override
        public String toString() {
            return engine + " " + version + " on " + device + " (" + intraOpThreads + " threads, "
                    + cpuCores + " cores, " + gpuCount + " GPU, Java " + javaVersion
                    + (offline ? ", offline" : "") + ")";
        }
    }
}
