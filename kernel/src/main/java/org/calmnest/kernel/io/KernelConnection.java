package org.calmnest.kernel.io;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

/**
 * jjava's connection with the shell and control channels replaced by {@link ShellSocket}s
 * (blocking poll, messages with a bad HMAC signature dropped instead of killing the channel).
 * Heartbeat, stdin and iopub are jjava's.
 */
public final class KernelConnection extends JupyterConnection {

    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final ShellSocket shellSocket;
    private final ShellSocket controlSocket;
    private volatile boolean connected;
    private volatile boolean closed;

    public KernelConnection(KernelConnectionProperties props) throws NoSuchAlgorithmException, InvalidKeyException {
        super(props);
        this.props = props;
        this.shellSocket = new ShellSocket(context, props.createHMACGenerator(), false, this);
        this.controlSocket = new ShellSocket(context, props.createHMACGenerator(), true, this);
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        shellSocket.bind(props);
        controlSocket.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        iopub.sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shellSocket.close();
        controlSocket.close();
        super.close();
        context.close();
    }

    @Override
    public void waitUntilClose() {
        shellSocket.waitUntilClose();
        controlSocket.waitUntilClose();
        super.waitUntilClose();
    }
}
