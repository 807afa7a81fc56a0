package org.calmnest.kernel.io;

import org.dflib.jjava.jupyter.channels.JupyterInputStream;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's standard streams. Installed once as {@code System.out/err/in}; while a cell runs
 * they are attached to its reply environment (output becomes batched {@code stream} messages,
 * reading {@code System.in} sends {@code input_request}); between cells output goes to the
 * process's own streams (the Jupyter server log).
 */
public final class KernelIO implements AutoCloseable {

    private static final long FLUSH_MS = 100;

    private final PrintStream processOut;
    private final PrintStream processErr;
    private final BatchedOutputStream outBytes;
    private final BatchedOutputStream errBytes;
    private final JupyterInputStream inStream = new JupyterInputStream(StandardCharsets.UTF_8);
    public final PrintStream out;
    public final PrintStream err;
    private final Thread flusher;
    private volatile ShellReplyEnvironment env;
    private volatile boolean closed;

    public KernelIO(PrintStream processOut, PrintStream processErr) {
        this.processOut = processOut;
        this.processErr = processErr;
        this.outBytes = new BatchedOutputStream(text -> send(PublishStream.StreamType.OUT, text));
        this.errBytes = new BatchedOutputStream(text -> send(PublishStream.StreamType.ERR, text));
        this.out = new PrintStream(outBytes, false, StandardCharsets.UTF_8);
        this.err = new PrintStream(errBytes, false, StandardCharsets.UTF_8);
        this.flusher = new Thread(this::flushLoop, "calmnest-stream-flusher");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Makes these streams the JVM's standard streams. */
    public void install() {
        System.setOut(out);
        System.setErr(err);
        System.setIn(inStream);
    }

    public InputStream in() {
        return inStream;
    }

    /** Routes output, input and displays to the cell being executed. */
    public void attach(ShellReplyEnvironment cellEnv, boolean stdinAllowed) {
        flush();
        this.env = cellEnv;
        inStream.setEnv(cellEnv);
        inStream.setEnabled(stdinAllowed);
    }

    /** Flushes pending output to the cell, then detaches from it. */
    public void detach(ShellReplyEnvironment cellEnv) {
        flush();
        if (this.env == cellEnv) {
            this.env = null;
        }
        inStream.retractEnv(cellEnv);
    }

    public boolean isAttached() {
        return env != null;
    }

    public void flush() {
        out.flush();
        err.flush();
    }

    /** Publishes a new display (stdout is flushed first so the order on screen is kept). */
    public void display(DisplayData data) {
        ShellReplyEnvironment e = env;
        if (e != null) {
            flush();
            e.publish(new PublishDisplayData(data));
        }
    }

    /** Replaces the display whose id {@code data} carries. */
    public void updateDisplay(DisplayData data) {
        ShellReplyEnvironment e = env;
        if (e != null) {
            e.publish(new PublishUpdateDisplayData(data));
        }
    }

    private void send(PublishStream.StreamType type, String text) {
        ShellReplyEnvironment e = env;
        if (e != null) {
            e.publish(new PublishStream(type, text));
        } else {
            (type == PublishStream.StreamType.OUT ? processOut : processErr).print(text);
        }
    }

    private void flushLoop() {
        while (!closed) {
            try {
                Thread.sleep(FLUSH_MS);
                flush();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a closed socket during shutdown: keep the flusher alive until close()
            }
        }
    }

    @Override
    public void close() {
        flush();
        closed = true;
        flusher.interrupt();
    }
}
