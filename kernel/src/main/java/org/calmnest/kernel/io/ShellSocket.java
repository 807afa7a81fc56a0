package org.calmnest.kernel.io;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.JupyterSocket;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The shell and control sockets. jjava's own loop polls every 50 ms (a floor on every round
 * trip) and dies on the first message with a bad signature (the kernel then stops answering);
 * this one blocks in {@code poll} and drops such messages with a log line.
 */
final class ShellSocket extends ShellChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ShellSocket.class);
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final Gson GSON = jjavaGson();

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
                message = readWholeMessage();
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

    /**
     * jjava's {@code readMessage} reads a fixed number of frames, so a message with too few frames
     * swallows the frames of the next (legitimate) one. This reads the whole multipart message
     * first, refuses a short one, compares signatures in constant time, then parses like jjava.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Message<?> readWholeMessage() {
        List<byte[]> frames = new ArrayList<>();
        do {
            byte[] f = recv();
            if (f == null) {
                return null;
            }
            frames.add(f);
        } while (hasReceiveMore());
        int d = 0;
        while (d < frames.size() && !Arrays.equals(frames.get(d), DELIMITER)) {
            d++;
        }
        if (frames.size() - d - 1 < 5) {
            throw new IllegalArgumentException("message of " + frames.size() + " frames lacks the delimiter, signature,"
                    + " header, parent, metadata or content");
        }
        byte[] header = frames.get(d + 2);
        byte[] parent = frames.get(d + 3);
        byte[] metadata = frames.get(d + 4);
        byte[] content = frames.get(d + 5);
        String expected = hmacGenerator.calculateSignature(header, parent, metadata, content);
        if (expected != null && !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), frames.get(d + 1))) {
            throw new SecurityException("Message received had invalid signature");
        }
        Header<?> h = GSON.fromJson(new String(header, StandardCharsets.UTF_8), Header.class);
        Header<?> ph = null;
        JsonElement pj = JsonParser.parseString(new String(parent, StandardCharsets.UTF_8));
        if (pj.isJsonObject() && !pj.getAsJsonObject().isEmpty()) {
            ph = GSON.fromJson(pj, Header.class);
        }
        Map<String, Object> meta = GSON.fromJson(new String(metadata, StandardCharsets.UTF_8),
                new TypeToken<Map<String, Object>>() { }.getType());
        Object body = GSON.fromJson(new String(content, StandardCharsets.UTF_8), h.getType().getContentType());
        if (body instanceof ErrorReply) {
            h = new Header<>(h.getId(), h.getUsername(), h.getSessionId(), h.getTimestamp(), h.getType().error(), h.getVersion());
        }
        return new Message(new ArrayList<>(frames.subList(0, d)), h, ph, meta, body,
                new ArrayList<>(frames.subList(Math.min(d + 6, frames.size()), frames.size())));
    }

    /** jjava's message Gson (its type adapters for headers, timestamps, message types). */
    private static Gson jjavaGson() {
        try {
            Field f = JupyterSocket.class.getDeclaredField("gson");
            f.setAccessible(true);
            return (Gson) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jjava's JupyterSocket.gson is missing: update ShellSocket for this jjava version", e);
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
