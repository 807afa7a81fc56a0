package org.calmnest.kernel.magic;

import org.calmnest.dsl.spec.Defaults;
import org.calmnest.kernel.eval.CellException;
import org.calmnest.kernel.eval.JShellEvaluator;
import org.calmnest.kernel.eval.JShellEvaluator.CellValue;
import org.calmnest.lib.runtime.TorchRuntime;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's magics: {@code %time} / {@code %%time}, {@code %classpath}, {@code %load},
 * {@code %maven}, {@code %device}, {@code %help}. Each returns the value to show (or none);
 * misuse is a {@link CellException} naming the magic and the fix.
 */
public final class Magics {

    /** What a magic may ask of the kernel. */
    public interface Context {
        JShellEvaluator evaluator();

        int cellNumber();

        /** Runs text as a cell (magics included); positions in errors refer to {@code text}. */
        CellValue runText(String text) throws CellException;
    }

    private static final Map<String, String> LINE = new TreeMap<>(Map.of(
            "time", "%time <code>: run one line of code and print its wall time",
            "classpath", "%classpath [path...]: show the class path, or add jars/folders (globs like lib/*.jar work)",
            "load", "%load file.jsh: run a JShell script file as if it were this cell",
            "maven", "%maven group:artifact[:classifier]:version ...: add artifacts and their dependencies (local repository first, then Maven Central)",
            "device", "%device [auto|cpu|gpu|gpu:N]: show the engine and devices, or choose the default device of new specs",
            "help", "%help: this list"));
    private static final Map<String, String> CELL = new TreeMap<>(Map.of(
            "time", "%%time (first line): run the whole cell and print its wall time"));

    private final MavenResolver maven;
    private final Set<String> baseArtifacts;

    public Magics(MavenResolver maven, List<String> baseClassPath) {
        this.maven = maven;
        this.baseArtifacts = new HashSet<>();
        for (String e : baseClassPath) {
            String a = artifactOf(e);
            if (a != null) {
                baseArtifacts.add(a);
            }
        }
    }

    public static Set<String> lineMagicNames() {
        return LINE.keySet();
    }

    public static Set<String> cellMagicNames() {
        return CELL.keySet();
    }

    public CellValue runCell(CellParts.CellMagic m, String cell, Context ctx) throws CellException {
        if (!m.name().equals("time")) {
            throw unknown("%%" + m.name(), "cell magics: %%" + String.join(", %%", CELL.keySet()));
        }
        long t0 = System.nanoTime();
        try {
            return ctx.evaluator().eval(cell, m.bodyFrom(), cell.length(), ctx.cellNumber());
        } finally {
            System.out.println("Wall time: " + millis(System.nanoTime() - t0));
        }
    }

    public CellValue runLine(CellParts.LineMagic m, String cell, Context ctx) throws CellException {
        switch (m.name()) {
            case "time" -> {
                long t0 = System.nanoTime();
                try {
                    return ctx.evaluator().eval(cell, m.argsFrom(), m.argsFrom() + m.args().length(), ctx.cellNumber());
                } finally {
                    System.out.println("Wall time: " + millis(System.nanoTime() - t0));
                }
            }
            case "classpath" -> {
                return classpath(CellParts.words(m.args()), ctx);
            }
            case "load" -> {
                return load(m.args(), ctx);
            }
            case "maven" -> {
                return maven(CellParts.words(m.args()), ctx);
            }
            case "device" -> {
                return device(m.args().trim());
            }
            case "help" -> {
                return new CellValue(true, help());
            }
            default -> throw unknown("%" + m.name(), "line magics: %" + String.join(", %", LINE.keySet()));
        }
    }

    public static String help() {
        StringBuilder sb = new StringBuilder("calmnest kernel magics\n");
        LINE.values().forEach(v -> sb.append("  ").append(v).append('\n'));
        CELL.values().forEach(v -> sb.append("  ").append(v).append('\n'));
        sb.append("Other help: Tab completes (DSL methods included), Shift+Tab shows signatures and javadoc,\n")
                .append("display(x) shows any value now, updateDisplay(id, x) replaces it; Interrupt stops training within a step.");
        return sb.toString();
    }

    private CellValue classpath(List<String> args, Context ctx) throws CellException {
        if (args.isEmpty()) {
            return new CellValue(true, String.join("\n", ctx.evaluator().classPath()));
        }
        List<String> added = new ArrayList<>();
        for (String a : args) {
            List<String> files = glob(a);
            if (files.isEmpty()) {
                throw error("%classpath", "\"" + a + "\" matches no file or folder (working directory "
                        + Paths.get("").toAbsolutePath() + "); give an existing jar, folder or glob like lib/*.jar");
            }
            for (String f : files) {
                ctx.evaluator().addToClasspath(f);
                added.add(f);
            }
        }
        System.out.println("added to the class path: " + String.join(", ", added));
        return new CellValue(false, null);
    }

    private CellValue load(String arg, Context ctx) throws CellException {
        List<String> words = CellParts.words(arg);
        if (words.size() != 1) {
            throw error("%load", "needs exactly one file, e.g. %load notebooks/setup.jsh (got \"" + arg + "\")");
        }
        Path p = Paths.get(words.get(0));
        if (!Files.isRegularFile(p)) {
            throw error("%load", "file \"" + p + "\" does not exist (working directory "
                    + Paths.get("").toAbsolutePath() + "); give a path to a .jsh file");
        }
        try {
            return ctx.runText(Files.readString(p));
        } catch (IOException e) {
            throw error("%load", "file \"" + p + "\" cannot be read: " + e.getMessage());
        }
    }

    private CellValue maven(List<String> args, Context ctx) throws CellException {
        List<MavenResolver.Coordinate> coords = new ArrayList<>();
        try {
            for (String a : args) {
                coords.add(MavenResolver.Coordinate.parse(a));
            }
            List<String> jars = maven.resolve(coords);
            List<String> added = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (String jar : jars) {
                String artifact = artifactOf(jar);
                if (artifact != null && baseArtifacts.contains(artifact)) {
                    skipped.add(Paths.get(jar).getFileName().toString());
                } else {
                    ctx.evaluator().addToClasspath(jar);
                    added.add(Paths.get(jar).getFileName().toString());
                }
            }
            System.out.println("added " + added.size() + " jar(s): " + String.join(", ", added));
            if (!skipped.isEmpty()) {
                System.out.println("already provided by the kernel (kept its version): " + String.join(", ", skipped));
            }
            return new CellValue(false, null);
        } catch (IllegalArgumentException | IOException e) {
            throw error("%maven", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw error("%maven", "interrupted while Maven was resolving " + coords);
        }
    }

    private CellValue device(String arg) throws CellException {
        try {
            if (!arg.isEmpty()) {
                TorchRuntime.device(arg); // validates against the devices the engine really has
                Defaults.device(arg);
                System.out.println("new specs use device \"" + Defaults.device() + "\"");
            }
            return new CellValue(true, TorchRuntime.info() + "\ndefault device of new specs: " + Defaults.device());
        } catch (IllegalArgumentException e) {
            throw error("%device", e.getMessage());
        }
    }

    /** {@code artifactId} of a jar path from a Maven repository or a lib/ folder; null when unknown. */
    static String artifactOf(String path) {
        String name = Paths.get(path).getFileName().toString();
        if (!name.endsWith(".jar")) {
            return null;
        }
        Matcher m = Pattern.compile("^(.+?)-\\d[^/]*\\.jar$").matcher(name);
        return m.matches() ? m.group(1) : null;
    }

    private static List<String> glob(String pattern) {
        List<String> out = new ArrayList<>();
        if (!pattern.contains("*") && !pattern.contains("?")) {
            Path p = Paths.get(pattern).toAbsolutePath().normalize();
            if (Files.exists(p)) {
                out.add(p.toString());
            }
            return out;
        }
        Path abs = Paths.get(pattern).toAbsolutePath().normalize();
        Path dir = abs.getParent();
        var matcher = dir.getFileSystem().getPathMatcher("glob:" + abs.getFileName());
        try (var files = Files.list(dir)) {
            files.filter(f -> matcher.matches(f.getFileName())).sorted()
                    .forEach(f -> out.add(f.toString()));
        } catch (IOException ignored) {
            // no such folder: no matches
        }
        return out;
    }

    private static String millis(long nanos) {
        double ms = nanos / 1e6;
        return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    static CellException unknown(String name, String known) {
        return new CellException("UnknownMagic", name + " is not a magic of this kernel",
                List.of(name + " is not a magic of this kernel; " + known + " (%help lists them)"), null);
    }

    static CellException error(String magic, String message) {
        return new CellException("MagicError", magic + ": " + message, List.of(magic + ": " + message), null);
    }

}
