package org.calmnest.kernel.eval;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs JShell snippets in the kernel's own JVM, each on a dedicated execution thread, and keeps
 * the <em>raw</em> value and the raw exception of the last invocation so the kernel renders the
 * real object (an XChart chart, a Tablesaw table) rather than JShell's string form.
 *
 * <p>Interrupt ({@link #stop()}): sets {@link StopCheck}'s flag (instrumented loops throw at their
 * next back edge), interrupts the thread (blocking calls return), and when the code still runs
 * after a grace period, tries {@code Thread.stop} (JDK &lt; 20) and finally abandons the thread so
 * the kernel keeps answering.
 */
final class KernelExecutionControl extends DirectExecutionControl {

    /** Marker: the last invocation produced no value (as opposed to the value {@code null}). */
    static final Object NO_VALUE = new Object();

    /**
     * Escalation delays: a cooperative stop first (DSL training ends at its next step, snippet
     * loops at their next back edge); {@code Thread.interrupt} after the first delay (sleeps and
     * blocking reads); {@code Thread.stop} and finally abandoning the thread after the second.
     */
    private static final long INTERRUPT_MS = Long.getLong("calmnest.kernel.interruptAfterMs", 1000);
    private static final long GRACE_MS = Long.getLong("calmnest.kernel.stopGraceMs", 3000);
    /** How long a training loop (which stops cooperatively at its next step) is waited for. */
    private static final long TRAINING_PATIENCE_MS = Long.getLong("calmnest.kernel.trainingPatienceMs", 120_000);

    private final SnippetClassLoader loader;
    private final StaleVariables stale;

    private volatile Thread execThread;
    private volatile FutureTask<Object> running;
    private volatile boolean abandoned;
    private volatile boolean cellStopped;
    private volatile Object lastValue = NO_VALUE;
    private volatile Throwable lastThrowable;

    KernelExecutionControl(SnippetClassLoader loader, Set<String> baseClassPath) {
        this(loader, baseClassPath, new StaleVariables());
    }

    private KernelExecutionControl(SnippetClassLoader loader, Set<String> baseClassPath, StaleVariables stale) {
        super(new Delegate(loader, baseClassPath, stale));
        this.loader = loader;
        this.stale = stale;
    }

    /** Releases what overwritten or dropped variables still hold (see {@link StaleVariables}). */
    int releaseStale(Set<String> activeVariables) {
        return stale.release(activeVariables);
    }

    ClassLoader classLoader() {
        return loader;
    }

    Object lastValue() {
        return lastValue;
    }

    Throwable lastThrowable() {
        return lastThrowable;
    }

    void resetLast() {
        lastValue = NO_VALUE;
        lastThrowable = null;
    }

    /** Called before each cell: clears the stop state of the previous one. */
    void beginCell() {
        cellStopped = false;
        StopCheck.clear();
    }

    boolean isRunning() {
        FutureTask<Object> f = running;
        return f != null && !f.isDone();
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        resetLast();
        if (cellStopped) { // interrupted between snippets or while this one compiled
            lastThrowable = new StopCheck.CellStoppedError();
            throw new ExecutionControl.StoppedException();
        }
        FutureTask<Object> task = new FutureTask<>(() -> {
            CellThreads.prepare(); // PyTorch grad mode is per thread: off, as on the engine's loading thread
            return doitMethod.invoke(null);
        });
        abandoned = false;
        running = task;
        Thread t = new Thread(null, task, "calmnest-cell", 64L << 20);
        t.setDaemon(true);
        t.setContextClassLoader(loader);
        execThread = t;
        t.start();
        try {
            Object value = await(task);
            lastValue = value;
            return value == null ? "null" : value.getClass().getName();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite && ite.getCause() != null) {
                cause = ite.getCause();
            }
            lastThrowable = cause;
            if (StopCheck.isRequested() || cause instanceof StopCheck.CellStoppedError
                    || cause instanceof ThreadDeath) {
                throw new ExecutionControl.StoppedException();
            }
            throw new InvocationTargetException(cause);
        } finally {
            running = null;
            execThread = null;
        }
    }

    private Object await(FutureTask<Object> task) throws Exception {
        while (true) {
            try {
                return task.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (abandoned) {
                    lastThrowable = new StopCheck.CellStoppedError();
                    throw new ExecutionControl.StoppedException();
                }
            }
        }
    }

    /**
     * Stops the current cell: its running snippet and any snippet it would still start. Returns at
     * once; escalation happens in the background.
     */
    @Override
    public void stop() {
        cellStopped = true;
        StopCheck.request();
        FutureTask<Object> task = running;
        Thread t = execThread;
        if (task == null || t == null || task.isDone()) {
            return;
        }
        Thread escalate = new Thread(() -> escalate(task, t), "calmnest-stopper");
        escalate.setDaemon(true);
        escalate.start();
    }

    @SuppressWarnings({"removal", "deprecation"})
    private void escalate(FutureTask<Object> task, Thread t) {
        try {
            long start = System.nanoTime();
            Thread.sleep(INTERRUPT_MS);
            // a training step must not be cut: interrupting it can break I/O or leave the
            // optimiser half-updated, and the loop ends by itself at the step boundary
            while (!task.isDone() && inTraining(t)
                    && (System.nanoTime() - start) / 1_000_000 < TRAINING_PATIENCE_MS) {
                Thread.sleep(100);
            }
            if (task.isDone()) {
                return;
            }
            t.interrupt();
            Thread.sleep(GRACE_MS);
            if (task.isDone()) {
                return;
            }
            try {
                Thread.class.getMethod("stop").invoke(t); // works up to JDK 19, throws later
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // JDK 20+: Thread.stop is unsupported
            }
            Thread.sleep(GRACE_MS);
            if (!task.isDone()) {
                abandoned = true; // the kernel moves on; the thread keeps running in the background
            }
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the thread runs calmnest's training loop, which checks the session's token. */
    static boolean inTraining(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("org.calmnest.lib.train.") || c.startsWith("org.calmnest.dsl.run.")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        stop();
        try {
            loader.close();
        } catch (java.io.IOException ignored) {
            // nothing to release beyond the open jar files
        }
    }

    /** Loads snippet classes (instrumented) into the notebook class loader. */
    private static final class Delegate implements LoaderDelegate {
        private final SnippetClassLoader loader;
        private final Set<String> baseClassPath;
        private final StaleVariables stale;
        private final Map<String, Class<?>> loaded = new HashMap<>();

        Delegate(SnippetClassLoader loader, Set<String> baseClassPath, StaleVariables stale) {
            this.loader = loader;
            this.baseClassPath = baseClassPath;
            this.stale = stale;
        }

        @Override
        public void load(ClassBytecodes[] cbcs) throws ClassInstallException {
            boolean[] ok = new boolean[cbcs.length];
            try {
                for (ClassBytecodes cbc : cbcs) {
                    loader.declare(cbc.name(), StopCheckInstrumenter.instrument(cbc.bytecodes()));
                }
                for (int i = 0; i < cbcs.length; i++) {
                    Class<?> c = loader.loadClass(cbcs[i].name());
                    synchronized (loaded) {
                        loaded.put(cbcs[i].name(), c);
                    }
                    ok[i] = true;
                    c.getDeclaredMethods(); // links the class now so errors surface at load
                    stale.loaded(c);
                }
            } catch (Throwable e) {
                throw new ClassInstallException("load: " + e, ok);
            }
        }

        @Override
        public void classesRedefined(ClassBytecodes[] cbcs) {
            for (ClassBytecodes cbc : cbcs) {
                loader.declare(cbc.name(), StopCheckInstrumenter.instrument(cbc.bytecodes()));
            }
        }

        @Override
        public void addToClasspath(String cp) throws InternalException {
            StringBuilder extra = new StringBuilder();
            for (String entry : cp.split(File.pathSeparator)) {
                if (!entry.isBlank() && !baseClassPath.contains(entry)) {
                    extra.append(entry).append(File.pathSeparator);
                }
            }
            try {
                loader.addClassPath(extra.toString());
            } catch (Exception e) {
                throw new InternalException("class path \"" + cp + "\": " + e);
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            synchronized (loaded) {
                Class<?> c = loaded.get(name);
                if (c != null) {
                    return c;
                }
            }
            throw new ClassNotFoundException(name + " was not loaded by this kernel");
        }
    }
}
