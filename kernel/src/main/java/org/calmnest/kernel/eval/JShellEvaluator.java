package org.calmnest.kernel.eval;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Evaluates notebook cells with an in-process JShell. A cell is split into snippets; each runs on
 * the execution thread of {@link KernelExecutionControl}; the raw value of the cell's last
 * expression is returned for rendering; declarations are quiet. Errors come back as
 * {@link CellException}s with the cell's line and column.
 */
public final class JShellEvaluator implements AutoCloseable {

    /** Result of a cell: {@code hasValue} is false for declarations and statements. */
    public record CellValue(boolean hasValue, Object value) {
        static final CellValue NONE = new CellValue(false, null);
    }

    private static final boolean RELEASE_STALE =
            Boolean.parseBoolean(System.getProperty("calmnest.kernel.releaseStale", "true"));

    private final JShell jshell;
    private final KernelExecutionControl control;
    private final List<String> classPath = new ArrayList<>();
    private final Map<String, ErrorFormatter.Origin> origins = new ConcurrentHashMap<>();

    /**
     * @param baseClassPath the kernel's own class path (the DSL, DJL...): visible to the compiler;
     *                      the classes themselves come from the kernel's class loader
     * @param parent        the class loader notebook classes delegate to
     */
    public JShellEvaluator(List<String> baseClassPath, ClassLoader parent) {
        Set<String> base = new LinkedHashSet<>(baseClassPath);
        this.control = new KernelExecutionControl(new SnippetClassLoader(parent), base);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        this.jshell = JShell.builder()
                .executionEngine(new ExecutionControlProvider() {
                    @Override
                    public String name() {
                        return "calmnest";
                    }

                    @Override
                    public ExecutionControl generate(ExecutionEnv env, Map<String, String> params) {
                        return control;
                    }
                }, Map.of())
                .out(quiet).err(quiet)
                .build();
        if (!base.isEmpty()) {
            jshell.addToClasspath(String.join(File.pathSeparator, base));
        }
        classPath.addAll(base);
    }

    public SourceCodeAnalysis analysis() {
        return jshell.sourceCodeAnalysis();
    }

    public JShell jshell() {
        return jshell;
    }

    /** The class loader notebook code runs in. */
    public ClassLoader classLoader() {
        return control.classLoader();
    }

    /** Adds class path entries for both the compiler and the notebook class loader. */
    public void addToClasspath(String entries) {
        for (String e : entries.split(File.pathSeparator)) {
            if (!e.isBlank() && !classPath.contains(e)) {
                jshell.addToClasspath(e);
                classPath.add(e);
            }
        }
    }

    public List<String> classPath() {
        return List.copyOf(classPath);
    }

    /** Evaluates a whole cell. */
    public CellValue eval(String cell, int cellNumber) throws CellException {
        return eval(cell, 0, cell.length(), cellNumber);
    }

    /**
     * Evaluates {@code cell.substring(from, to)}; positions in errors refer to the whole cell.
     * Stops at the first snippet that fails.
     */
    public CellValue eval(String cell, int from, int to, int cellNumber) throws CellException {
        control.beginCell();
        CellValue last = CellValue.NONE;
        try {
            for (CellSplitter.Piece piece : CellSplitter.split(analysis(), cell, from, to)) {
                last = evalPiece(cell, cellNumber, piece);
            }
        } finally {
            releaseStale();
        }
        return last;
    }

    /**
     * Releases the values of re-declared and dropped variables (their native memory above all);
     * returns how many calmnest objects were closed. {@code -Dcalmnest.kernel.releaseStale=false}
     * switches this off (then every re-run training cell keeps its old model alive).
     */
    public int releaseStale() {
        if (!RELEASE_STALE) {
            return 0;
        }
        Set<String> active = jshell.variables().map(VarSnippet::name).collect(Collectors.toSet());
        return control.releaseStale(active);
    }

    private CellValue evalPiece(String cell, int cellNumber, CellSplitter.Piece piece) throws CellException {
        control.resetLast();
        List<SnippetEvent> events = jshell.eval(piece.source());
        List<ErrorFormatter.Diagnostic> errors = new ArrayList<>();
        CellValue value = CellValue.NONE;
        for (SnippetEvent ev : events) {
            Snippet s = ev.snippet();
            if (ev.causeSnippet() != null) {
                continue; // an update of a dependent snippet, not this cell's code
            }
            origins.put(s.id(), new ErrorFormatter.Origin(cellNumber, ErrorFormatter.lineOf(cell, piece.offset())));
            if (ev.status() == Snippet.Status.REJECTED) {
                for (Diag d : jshell.diagnostics(s).collect(Collectors.toList())) {
                    errors.add(new ErrorFormatter.Diagnostic(d.isError(), d.getMessage(Locale.ROOT),
                            shift(piece, d.getStartPosition()), shift(piece, d.getEndPosition()),
                            shift(piece, d.getPosition())));
                }
                if (errors.isEmpty()) {
                    errors.add(new ErrorFormatter.Diagnostic(true, "this code is not valid Java (JShell rejected it)",
                            piece.offset(), piece.offset() + piece.source().length(), piece.offset()));
                }
                continue;
            }
            if (ev.exception() != null || control.lastThrowable() != null) {
                Throwable raw = control.lastThrowable();
                if (raw instanceof StopCheck.CellStoppedError || raw instanceof ThreadDeath) {
                    throw interruptedError();
                }
                Throwable shown = raw != null ? raw : ev.exception();
                throw new CellException(shown.getClass().getName(), String.valueOf(shown.getMessage()),
                        ErrorFormatter.runtimeError(shown, ev.exception(), origins::get), shown);
            }
            warnUnresolved(s);
            if (isValueSnippet(s) && control.lastValue() != KernelExecutionControl.NO_VALUE) {
                value = new CellValue(true, control.lastValue());
            }
        }
        if (!errors.isEmpty()) {
            String first = errors.get(0).message().split("\\R")[0];
            throw new CellException("CompilationException", first,
                    ErrorFormatter.compileErrors(cell, cellNumber, errors), null);
        }
        return value;
    }

    private void warnUnresolved(Snippet s) {
        if (s instanceof DeclarationSnippet decl) {
            List<String> missing = jshell.unresolvedDependencies(decl).collect(Collectors.toList());
            if (!missing.isEmpty()) {
                System.err.println(decl.name() + " is declared, but cannot be used until "
                        + String.join(", ", missing) + " is declared");
            }
        }
    }

    private static boolean isValueSnippet(Snippet s) {
        switch (s.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND:
            case VAR_VALUE_SUBKIND:
                return true;
            case OTHER_EXPRESSION_SUBKIND:
                return !(s instanceof ExpressionSnippet e) || !"void".equals(e.typeName());
            default:
                return false;
        }
    }

    private static int shift(CellSplitter.Piece piece, long pos) {
        return pos < 0 ? -1 : (int) (piece.offset() + Math.min(pos, piece.source().length()));
    }

    private CellException interruptedError() {
        return new CellException("Interrupted", "the cell was interrupted",
                List.of(ErrorFormatter.RED + "Interrupted" + ErrorFormatter.RESET
                        + ": the cell was stopped; variables defined before the interrupt keep their values"), null);
    }

    /**
     * Interrupts the running cell (from another thread). A snippet that still completes normally
     * (DSL training that ended at its next step after the kernel cancelled the session) keeps its
     * result; a snippet stopped in a loop, and every later snippet of the cell, report
     * "Interrupted".
     */
    public void interrupt() {
        control.stop();
    }

    public boolean isRunning() {
        return control.isRunning();
    }

    @Override
    public void close() {
        jshell.close();
    }
}
