package org.calmnest.dsl.script;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import org.calmnest.dsl.display.DisplaySink;
import org.calmnest.dsl.display.Displays;
import org.calmnest.dsl.display.Session;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Script mode: runs a {@code .jsh} file non-interactively in this JVM with the DSL imports. Like a
 * notebook, the value of every bare expression without a trailing semicolon is shown (charts are saved as PNG + SVG in the
 * output folder and their paths printed; other values print their text). A compile error or an
 * exception stops the script with its line number and message and exit status 1.
 *
 * <p>Usage: {@code java -cp CLASSPATH org.calmnest.dsl.script.ScriptRunner script.jsh [--out DIR]}
 * (the launcher: {@code ./calmnest run script.jsh}).
 */
public final class ScriptRunner implements AutoCloseable {

    private static volatile Object lastValue;

    private final JShell shell;
    private final PrintStream out;
    private final DisplaySink previousSink;
    private final ScriptSink sink;

    /** A JShell in this JVM with the class path of this JVM and the startup imports evaluated. */
    public ScriptRunner(Path outDir, PrintStream out) {
        this.out = out;
        this.shell = JShell.builder().executionEngine("local").out(out).err(out).build();
        for (String entry : classPath()) {
            shell.addToClasspath(entry);
        }
        for (String imp : Startup.IMPORTS) {
            for (SnippetEvent e : shell.eval(imp)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("startup import failed: " + imp + " ("
                            + diagnostics(e.snippet()) + "); run ./calmnest build first");
                }
            }
        }
        this.previousSink = Displays.current();
        this.sink = new ScriptSink(outDir, out);
        Displays.install(sink);
    }

    /**
     * Runs the script; returns 0 on success, 1 at the first error (which is printed). Like the
     * jshell tool, lines are accumulated until they form a complete snippet, so a bare expression
     * at the end of a line is complete without a semicolon; unlike the jshell tool, a line that
     * starts with a dot continues the chain of the line above.
     */
    public int run(String source, String scriptName) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String[] lines = source.split("\n", -1);
        StringBuilder pending = new StringBuilder();
        int startLine = 0;
        for (int i = 0; i < lines.length; i++) {
            if (pending.toString().isBlank()) {
                pending.setLength(0);
                startLine = i + 1;
                String t = lines[i].strip();
                if (t.equals("/exit") || t.startsWith("/exit ")) {
                    return 0;
                }
                if (t.startsWith("/") && !t.startsWith("//") && !t.startsWith("/*")) {
                    out.println(scriptName + ":" + startLine + ": JShell commands such as " + t.split("\\s")[0]
                            + " are not supported in script mode; remove the line");
                    return 1;
                }
            }
            pending.append(lines[i]).append('\n');
            if (continuedOnNextLine(lines, i)) {
                continue;
            }
            while (true) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending.toString());
                SourceCodeAnalysis.Completeness c = info.completeness();
                if (c == SourceCodeAnalysis.Completeness.EMPTY) {
                    pending.setLength(0);
                    break;
                }
                if (!c.isComplete()) {
                    break;
                }
                // like a notebook cell, a bare expression is shown unless it ends with a semicolon
                String typed = pending.substring(0, pending.length() - info.remaining().length());
                boolean show = !typed.strip().endsWith(";");
                if (!evaluate(info.source(), scriptName, startLine, show)) {
                    return 1;
                }
                pending.setLength(0);
                pending.append(info.remaining());
                if (info.remaining().isBlank()) {
                    pending.setLength(0);
                    break;
                }
            }
        }
        if (!pending.toString().isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(pending.toString());
            if (info.completeness() == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE) {
                out.println(scriptName + ":" + startLine + ": error: the script ends in the middle of a statement");
                return 1;
            }
            return evaluate(pending.toString(), scriptName, startLine, !pending.toString().strip().endsWith(";")) ? 0 : 1;
        }
        return 0;
    }

    /**
     * A fluent chain continued on the next line ({@code .train(en, minutes(1))}) belongs to the
     * snippet above, although the line above is already a complete expression.
     */
    static boolean continuedOnNextLine(String[] lines, int i) {
        for (int j = i + 1; j < lines.length; j++) {
            String t = lines[j].strip();
            if (!t.isEmpty() && !t.startsWith("//")) {
                return t.startsWith(".") && !t.startsWith("...");
            }
        }
        return false;
    }

    private boolean evaluate(String snippet, String scriptName, int line, boolean showValue) {
        Session.beginCell();
        for (SnippetEvent e : shell.eval(snippet)) {
            if (e.causeSnippet() != null) {
                continue;
            }
            if (e.status() == Snippet.Status.REJECTED) {
                out.println(scriptName + ":" + line + ": error: " + diagnostics(e.snippet()));
                return false;
            }
            JShellException ex = e.exception();
            if (ex != null) {
                String kind = ex instanceof EvalException ee ? ee.getExceptionClassName() : ex.getClass().getSimpleName();
                out.println(scriptName + ":" + line + ": " + kind.replaceFirst("^.*\\.", "") + ": " + ex.getMessage());
                return false;
            }
            if (!showValue) {
                continue;
            }
            if (e.snippet() instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                show(v.name());
            } else if (e.snippet().kind() == Snippet.Kind.EXPRESSION && e.value() != null && !(e.snippet() instanceof DeclarationSnippet)) {
                show(e.snippet().source().strip().replaceFirst(";$", ""));
            }
        }
        return true;
    }

    /** Shows a bare expression's value through the display sink (charts saved, text printed). */
    private void show(String expression) {
        lastValue = null;
        List<SnippetEvent> events = shell.eval(ScriptRunner.class.getName() + ".capture(" + expression + ");");
        if (events.stream().allMatch(ev -> ev.exception() == null && ev.status() != Snippet.Status.REJECTED)
                && lastValue != null) {
            Displays.display(lastValue);
        }
    }

    /**
     * Evaluates one expression in this session and returns its value as an object of this JVM
     * (for programmatic use and tests).
     *
     * @throws IllegalArgumentException with the compiler's or the exception's message when it fails
     */
    public Object value(String expression) {
        lastValue = null;
        for (SnippetEvent e : shell.eval(ScriptRunner.class.getName() + ".capture(" + expression + ");")) {
            if (e.status() == Snippet.Status.REJECTED) {
                throw new IllegalArgumentException(expression + ": " + diagnostics(e.snippet()));
            }
            if (e.exception() != null) {
                throw new IllegalArgumentException(expression + ": " + e.exception().getMessage(), e.exception());
            }
        }
        return lastValue;
    }

    /** Called from the script's JShell with the value of a bare expression. */
    public static void capture(Object value) {
        lastValue = value;
    }

    private String diagnostics(Snippet s) {
        List<String> msgs = new ArrayList<>();
        shell.diagnostics(s).forEach((Diag d) -> msgs.add(d.getMessage(Locale.ROOT)));
        return msgs.isEmpty() ? "the snippet was rejected" : String.join("; ", msgs);
    }

    /** Chart files saved by this run. */
    public List<Path> savedCharts() {
        return sink.saved();
    }

    /**
     * This JVM's class path, with the Class-Path of manifest-only jars (Maven Surefire's booter)
     * expanded, so the JShell compiler sees what the class loader sees.
     */
    static List<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            entries.add(e);
            if (e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(e)) {
                    Manifest m = jar.getManifest();
                    String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
                    if (cp != null) {
                        Path base = Path.of(e).toAbsolutePath().getParent();
                        for (String u : cp.trim().split("\\s+")) {
                            URI uri = base.toUri().resolve(u);
                            entries.add(Path.of(uri).toString());
                        }
                    }
                } catch (IOException | IllegalArgumentException ignored) {
                    // not a readable jar: keep the entry as it is
                }
            }
        }
        return new ArrayList<>(entries);
    }

    @Override
    public void close() {
        Displays.install(previousSink);
        shell.close();
    }

    /** {@code ScriptRunner script.jsh [--out DIR]}; exits with 0 on success, 1 on the first error. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ScriptRunner script.jsh [--out DIR]");
            System.exit(2);
        }
        Path script = Path.of(args[0]);
        if (!Files.isRegularFile(script)) {
            System.err.println("script " + script.toAbsolutePath() + " does not exist; pass the path of a .jsh file");
            System.exit(2);
        }
        String name = script.getFileName().toString().replaceFirst("\\.jsh$", "");
        Path out = args.length >= 3 && args[1].equals("--out") ? Path.of(args[2]) : Path.of("charts", name);
        int status;
        try (ScriptRunner runner = new ScriptRunner(out, System.out)) {
            status = runner.run(Files.readString(script), script.getFileName().toString());
            List<Path> charts = runner.savedCharts();
            if (!charts.isEmpty()) {
                System.out.println("charts written to " + out.toAbsolutePath() + ":");
                charts.forEach(p -> System.out.println("  " + p.toAbsolutePath()));
            }
        }
        System.out.flush();
        System.exit(status);
    }
}
