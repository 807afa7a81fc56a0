package org.calmnest.kernel.io;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The shell and control sockets. jjava's own loop polls every 50 ms (a floor on every round
 * trip) and dies on the first message with a bad signature (the kernel then stops answering);
 * this one blocks in {@code poll} and drops such messages with a log line.
 */
final class ShellSocket extends ShellChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);

    private final boolean control;
    private final JupyterConnection connection;
    private final ZMQ.Context context;
    private volatile Thread loop;
    private volatile boolean running;

    ShellSocket(ZMQ.Context context, HMACGenerator hmac, boolean control, JupyterConnection connection) {
        super(context, hmac, control, connection);
        this.context = context;
        this.control = control;
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties props) {
        int port = control ? props.getControlPort() : props.getShellPort();
        bind(props.getTransport() + "://" + props.getIp() + ":" + port);
        ZMQ.Poller poller = context.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        loop = new Thread(() -> serve(poller), control ? "calmnest-control" : "calmnest-shell");
        loop.start();
    }

    private void serve(ZMQ.Poller poller) {
        while (running) {
            Message<?> message;
            try {
                if (poller.poll(200) <= 0 || !poller.pollin(0)) {
                    continue;
                }
                message = readMessage();
            } catch (SecurityException e) {
                LOG.warn("{}: dropped a message with an invalid signature", control ? "control" : "shell");
                continue;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("{}: dropped an unreadable message: {}", control ? "control" : "shell", e.toString());
                continue;
            }
            if (message == null) {
                continue;
            }
            dispatch(message);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(Message<?> message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.warn("unhandled message type {}", message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            LOG.warn("error handling {}: {}", message.getHeader().getType().getName(), e.toString());
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            running = false;
            connection.close();
        }
    }

    @Override
    public void close() {
        running = false;
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t = loop;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
