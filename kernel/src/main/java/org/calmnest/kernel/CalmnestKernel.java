package org.calmnest.kernel;

import org.calmnest.dsl.display.Displays;
import org.calmnest.dsl.display.Session;
import org.calmnest.kernel.display.KernelDisplaySink;
import org.calmnest.kernel.display.KernelRenderer;
import org.calmnest.kernel.edit.Editing;
import org.calmnest.kernel.edit.MemoryHistory;
import org.calmnest.kernel.edit.SourceDocs;
import org.calmnest.kernel.eval.CellException;
import org.calmnest.kernel.eval.JShellEvaluator;
import org.calmnest.kernel.eval.JShellEvaluator.CellValue;
import org.calmnest.kernel.io.KernelIO;
import org.calmnest.kernel.magic.CellParts;
import org.calmnest.kernel.magic.Magics;
import org.calmnest.kernel.magic.MavenResolver;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.util.TextColor;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import java.util.EnumSet;
import java.util.Set;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The calmnest Jupyter kernel: Java cells evaluated by an in-process JShell with the DSL
 * preloaded, rich display of charts and tables, live display updates, magics, interrupt.
 * Protocol handling comes from jjava's {@link BaseKernel}; execution is ours.
 */
public final class CalmnestKernel extends BaseKernel implements Magics.Context {

    public static final String VERSION = "0.1.0";

    private final KernelIO kio;
    private final MemoryHistory history;
    private final JShellEvaluator evaluator;
    private final Magics magics;
    private final Editing editing;
    private volatile int cellNumber;
    private volatile Runnable afterShutdown = () -> { };

    public CalmnestKernel(KernelIO kio, List<String> classPath) {
        this(kio, classPath, new MemoryHistory());
    }

    private CalmnestKernel(KernelIO kio, List<String> classPath, MemoryHistory history) {
        super("calmnest", VERSION,
                new LanguageInfo.Builder("java").version(System.getProperty("java.version"))
                        .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java")
                        .codemirror("text/x-java").build(),
                List.of(new HelpLink("calmnest magics: type %help", "https://github.com/")),
                history, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new KernelRenderer(),
                null, new MagicsRegistry(), false,
                new StringStyler.Builder().addPrimaryStyle(TextColor.BOLD_RESET_FG)
                        .addSecondaryStyle(TextColor.BOLD_RED_FG).addHighlightStyle(TextColor.BOLD_RESET_FG).build());
        this.kio = kio;
        this.history = history;
        this.evaluator = new JShellEvaluator(classPath, CalmnestKernel.class.getClassLoader());
        this.magics = new Magics(new MavenResolver(), classPath);
        this.editing = new Editing(evaluator.analysis(), new SourceDocs(CalmnestKernel.class.getClassLoader()));
    }

    @Override
    public String getBanner() {
        return "calmnest " + VERSION + " — Java " + System.getProperty("java.version")
                + " with the calmnest DSL preloaded (type %help)";
    }

    /** Installs the display sink, preloads imports and runs the startup script. */
    @Override
    public void onStartup() {
        super.onStartup();
        Displays.install(new KernelDisplaySink(kio, renderer));
        for (String imp : startupImports()) {
            try {
                evaluator.eval(imp, 0);
            } catch (CellException e) {
                kio.err.println("calmnest kernel: startup import failed: " + imp + ": " + e.getMessage());
            }
        }
        String script = System.getProperty("calmnest.kernel.startup", System.getenv("CALMNEST_STARTUP"));
        if (script != null && !script.isBlank()) {
            Path p = Paths.get(script);
            try {
                runText(Files.readString(p));
            } catch (Exception e) {
                kio.err.println("calmnest kernel: startup script " + p + " failed: " + e.getMessage());
            }
        }
        kio.flush();
    }

    static List<String> startupImports() {
        List<String> imports = new ArrayList<>(List.of(
                "import java.io.*;", "import java.math.*;", "import java.net.*;", "import java.nio.file.*;",
                "import java.time.*;", "import java.util.*;", "import java.util.concurrent.*;",
                "import java.util.function.*;", "import java.util.regex.*;", "import java.util.stream.*;"));
        if (exists("org.calmnest.dsl.Calmnest")) {
            imports.add("import org.calmnest.dsl.Calmnest;");
            imports.add("import static org.calmnest.dsl.Calmnest.*;");
        } else {
            imports.add("import static org.calmnest.dsl.display.Displays.display;");
            imports.add("import static org.calmnest.dsl.display.Displays.updateDisplay;");
        }
        return imports;
    }

    private static boolean exists(String className) {
        try {
            Class.forName(className, false, CalmnestKernel.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    protected void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        boolean silent = request.isSilent();
        int count = silent || !request.shouldStoreHistory() ? executionCount.get() : executionCount.getAndIncrement();
        env.setBusyDeferIdle();
        if (!silent) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        kio.attach(env, request.isStdinEnabled());
        String output = "";
        try {
            cellNumber = count;
            Session.beginCell();
            CellValue value = runCell(request.getCode());
            kio.flush();
            if (value.hasValue() && !silent) {
                DisplayData data = renderer.render(value.value());
                output = String.valueOf(data.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
                env.publish(new PublishExecuteResult(count, data));
            }
            env.defer().reply(new ExecuteReply(count, Collections.emptyMap()));
        } catch (CellException e) {
            replyError(env, count, e.errorName(), e.getMessage(), e.traceback());
            output = e.errorName() + ": " + e.getMessage();
        } catch (Exception | Error e) { // a kernel bug or an error in rendering: report, stay alive
            replyError(env, count, e.getClass().getName(), String.valueOf(e.getMessage()), formatError(e));
            output = e.toString();
        } finally {
            kio.detach(env);
            if (request.shouldStoreHistory() && !silent) {
                history.add(count, request.getCode(), output);
            }
        }
    }

    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> message) {
        env.setBusyDeferIdle();
        env.reply(new Replies.KernelInfo(Header.PROTOCOL_VERISON, name, version, getLanguageInfo(), getBanner(),
                getHelpLinks()));
    }

    /** Always answers (jjava stays silent without a history manager and omits the status). */
    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries = switch (request.getAccessType()) {
            case TAIL -> history.lookupTail(((HistoryRequest.Tail) request).getMaxReturnLength(), flags);
            case RANGE -> {
                HistoryRequest.Range r = (HistoryRequest.Range) request;
                yield history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
            }
            case SEARCH -> {
                HistoryRequest.Search s = (HistoryRequest.Search) request;
                if (s.filterUnique()) {
                    flags.add(HistoryManager.ResultFlag.UNIQUE);
                }
                yield history.search(s.getPattern(), s.getMaxReturnLength(), flags);
            }
        };
        env.reply(new Replies.History(entries == null ? List.of() : entries));
    }

    private void replyError(ShellReplyEnvironment env, int count, String name, String value, List<String> traceback) {
        kio.flush();
        env.publish(new PublishError(name, value, traceback));
        ErrorReply reply = new ErrorReply(name, value, traceback);
        reply.setExecutionCount(count);
        env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
    }

    /** Runs a cell: a cell magic, or code and line magics in order. */
    CellValue runCell(String code) throws CellException {
        CellParts.CellMagic cm = CellParts.cellMagic(code);
        return cm != null ? magics.runCell(cm, code, this) : runText(code);
    }

    @Override
    public CellValue runText(String text) throws CellException {
        CellValue last = new CellValue(false, null);
        for (CellParts.Part part : CellParts.split(text, 0)) {
            if (part instanceof CellParts.Code c) {
                last = evaluator.eval(text, c.from(), c.to(), cellNumber);
            } else if (part instanceof CellParts.LineMagic m) {
                last = magics.runLine(m, text, this);
            }
        }
        return last;
    }

    @Override
    public JShellEvaluator evaluator() {
        return evaluator;
    }

    @Override
    public int cellNumber() {
        return cellNumber;
    }

    /** Not used: {@link #handleExecuteRequest} runs cells itself. Kept for jjava's API. */
    @Override
    public Object evalRaw(String source) {
        try {
            CellValue v = runCell(source);
            return v.hasValue() ? v.value() : null;
        } catch (CellException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        String doc = editing.inspect(code, at);
        return doc == null ? null : new DisplayData(doc);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        Editing.Completion c = editing.complete(code, at);
        return new ReplacementOptions(c.matches(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        return editing.isComplete(code);
    }

    /** Interrupt request: cancels DSL training (within one step) and stops the running cell. */
    @Override
    public void interrupt() {
        Session.interrupt();
        evaluator.interrupt();
    }

    /** Runs at the start of {@link #onShutdown}: the launcher uses it to make sure the process ends. */
    void afterShutdown(Runnable action) {
        this.afterShutdown = action;
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        afterShutdown.run(); // first: whatever below blocks (a cell that ignores interrupts), the process ends
        Session.interrupt();
        evaluator.interrupt();
        kio.close();
        try {
            evaluator.close();
        } catch (RuntimeException ignored) {
            // shutting down anyway
        }
        super.onShutdown(isRestarting);
    }
}
