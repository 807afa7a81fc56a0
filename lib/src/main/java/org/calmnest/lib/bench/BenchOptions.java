package org.calmnest.lib.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one {@link Bench} run measures, parsed from the command line:
 * {@code all | name...} {@code [--widths 256,512] [--quick] [--device cpu|gpu|auto] [--threads N]
 * [--out lib/results/benchmarks.md] [--python python3]}.
 *
 * @param names   benchmarks to run, in the canonical order of {@link #KNOWN}
 * @param widths  model widths d for the training benchmarks (multiples of 64 in [64, 1024])
 * @param quick   short runs (a smoke test of the harness, figures noisy)
 * @param device  "auto", "cpu", "gpu" or "gpu:N"
 * @param threads intra-op threads of libtorch (and of the PyTorch comparison), >= 1
 * @param out     the Markdown report to write
 * @param python  the Python interpreter for the {@code torch} comparison
 */
public record BenchOptions(List<String> names, int[] widths, boolean quick, String device, int threads,
                           Path out, String python) {

    /** Every benchmark, in the order they run and appear in the report. */
    public static final List<String> KNOWN = List.of("matmul", "transformer", "torch", "optimizer", "generation", "memory",
            "ae", "calm", "cms", "hope");

    public BenchOptions {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("Bench: no benchmark named; use \"all\" or some of " + KNOWN);
        }
        for (String n : names) {
            if (!KNOWN.contains(n)) {
                throw new IllegalArgumentException("Bench: unknown benchmark \"" + n + "\"; use \"all\" or some of " + KNOWN);
            }
        }
        names = KNOWN.stream().filter(names::contains).toList();
        if (widths == null || widths.length == 0) {
            throw new IllegalArgumentException("Bench: --widths is empty; give widths such as 256,512");
        }
        for (int w : widths) {
            if (w < 64 || w > 1024 || w % 64 != 0) {
                throw new IllegalArgumentException("Bench: unknown width " + w
                        + " in --widths; use multiples of 64 from 64 to 1024 (heads of width 64), e.g. 256,512");
            }
        }
        widths = widths.clone();
        if (threads < 1) {
            throw new IllegalArgumentException("Bench: --threads " + threads + " is invalid; use 1 or more (e.g. the core count)");
        }
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException("Bench: --device is empty; use auto, cpu, gpu or gpu:N");
        }
        if (out == null) {
            throw new IllegalArgumentException("Bench: --out is missing; give the report path, e.g. lib/results/benchmarks.md");
        }
        if (python == null || python.isBlank()) {
            throw new IllegalArgumentException("Bench: --python is empty; give an interpreter such as python3");
        }
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** Whether benchmark {@code name} was asked for. */
    public boolean has(String name) {
        return names.contains(name);
    }

    /** Parses the command line (see the class comment). */
    public static BenchOptions parse(String... args) {
        Set<String> names = new LinkedHashSet<>();
        int[] widths = {256, 512};
        boolean quick = false;
        String device = "auto";
        int threads = Runtime.getRuntime().availableProcessors();
        Path out = Path.of("lib/results/benchmarks.md");
        // Debian's python3-torch lives under the system interpreter, not under a pyenv/venv one
        String python = java.nio.file.Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        List<String> rest = new ArrayList<>(Arrays.asList(args == null ? new String[0] : args));
        for (int i = 0; i < rest.size(); i++) {
            String a = rest.get(i).trim();
            switch (a) {
                case "--quick" -> quick = true;
                case "--widths" -> widths = parseWidths(value(rest, ++i, a));
                case "--device" -> device = value(rest, ++i, a);
                case "--threads" -> threads = parseInt(value(rest, ++i, a), "--threads");
                case "--out" -> out = Path.of(value(rest, ++i, a));
                case "--python" -> python = value(rest, ++i, a);
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("Bench: unknown option \"" + a
                                + "\"; use --widths, --quick, --device, --threads, --out or --python");
                    }
                    for (String n : a.split("[,\\s]+")) {
                        String name = n.toLowerCase(Locale.ROOT);
                        if (name.equals("all")) {
                            names.addAll(KNOWN);
                        } else if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
            }
        }
        if (names.isEmpty()) {
            names.addAll(KNOWN);
        }
        return new BenchOptions(List.copyOf(names), widths, quick, device, threads, out, python);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new IllegalArgumentException("Bench: option " + option + " needs a value, e.g. " + option
                    + (option.equals("--widths") ? " 256,512" : option.equals("--threads") ? " 2" : " ..."));
        }
        return args.get(i).trim();
    }

    private static int[] parseWidths(String s) {
        String[] parts = s.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            w[i] = parseInt(parts[i].trim(), "--widths");
        }
        return w;
    }

    private static int parseInt(String s, String option) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bench: " + option + " value \"" + s + "\" is not a whole number; e.g. "
                    + (option.equals("--widths") ? "256,512" : "2"));
        }
    }

    @Override
    public String toString() {
        return String.join(" ", names) + " --widths " + Arrays.toString(widths).replaceAll("[\\[\\] ]", "")
                + (quick ? " --quick" : "") + " --device " + device + " --threads " + threads;
    }
}
