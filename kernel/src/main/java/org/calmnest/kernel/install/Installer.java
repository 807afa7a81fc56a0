package org.calmnest.kernel.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Writes and removes the kernelspec folder: {@code --user} (the user's Jupyter data folder),
 * {@code --sys-prefix} (the Python environment running Jupyter) or {@code --prefix DIR}
 * ({@code DIR/share/jupyter/kernels}).
 */
public final class Installer {

    /** Where the kernelspec goes. */
    public enum Scope { USER, SYS_PREFIX, PREFIX }

    private Installer() {
    }

    /** The kernels folder for a scope ({@code prefix} only for {@link Scope#PREFIX}). */
    public static Path kernelsDir(Scope scope, String prefix, String python) throws IOException {
        return switch (scope) {
            case USER -> userDataDir().resolve("kernels");
            case PREFIX -> {
                if (prefix == null || prefix.isBlank()) {
                    throw new IllegalArgumentException("--prefix needs a folder, e.g. --prefix /opt/jupyter");
                }
                yield Paths.get(prefix).toAbsolutePath().resolve("share/jupyter/kernels");
            }
            case SYS_PREFIX -> Paths.get(pythonSysPrefix(python)).resolve("share/jupyter/kernels");
        };
    }

    public static Path install(KernelSpec spec, Path kernelsDir, String name) throws IOException {
        Path dir = kernelsDir.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), spec.toJson());
        return dir;
    }

    /** Removes the kernelspec; returns false when there was none. */
    public static boolean uninstall(Path kernelsDir, String name) throws IOException {
        Path dir = kernelsDir.resolve(name);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return true;
    }

    static Path userDataDir() {
        String env = System.getenv("JUPYTER_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return Paths.get(home, "Library", "Jupyter");
        }
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Paths.get(appData != null ? appData : home, "jupyter");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(home, ".local", "share")).resolve("jupyter");
    }

    static String pythonSysPrefix(String python) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python == null ? "python3" : python, "-c", "import sys; print(sys.prefix)"));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IOException("--sys-prefix: \"" + String.join(" ", cmd) + "\" failed: " + out
                        + "; pass --python /path/to/the/python/of/jupyter or use --prefix DIR");
            }
            return out.lines().reduce((a, b) -> b).orElse(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("--sys-prefix: interrupted while asking Python for sys.prefix", e);
        }
    }
}
