package org.calmnest.kernel.reliability;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.zeromq.ZMQ;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A raw Jupyter wire-protocol client on one DEALER socket (no jupyter_client): builds
 * {@code <IDS|MSG>, signature, header, parent, metadata, content} frames and signs them with any
 * key, so tests can send messages with wrong, missing or stale signatures.
 */
final class WireClient implements AutoCloseable {
    static final String DELIMITER = "<IDS|MSG>";
    private final ZMQ.Context context = ZMQ.context(1);
    private final ZMQ.Socket socket;
    private final String session = UUID.randomUUID().toString();

    WireClient(String endpoint) {
        socket = context.socket(ZMQ.DEALER);
        socket.setLinger(0);
        socket.connect(endpoint);
    }

    /** Header JSON of a new message of the given type. */
    String header(String type, String msgId) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", msgId);
        h.addProperty("username", "reliability");
        h.addProperty("session", session);
        h.addProperty("date", Instant.now().toString());
        h.addProperty("msg_type", type);
        h.addProperty("version", "5.3");
        return h.toString();
    }

    static String sign(String key, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (String p : parts) {
                mac.update(p.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request signed with {@code key} (null: an empty signature frame); returns its msg_id. */
    String send(String type, String content, String key) {
        String id = UUID.randomUUID().toString();
        String header = header(type, id);
        String sig = key == null ? "" : sign(key, header, "{}", "{}", content);
        sendFrames(List.of(DELIMITER, sig, header, "{}", "{}", content));
        return id;
    }

    void sendFrames(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i).getBytes(StandardCharsets.UTF_8), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The next reply's frames after the delimiter, or null after {@code millis} of silence. */
    List<String> receive(int millis) {
        socket.setReceiveTimeOut(millis);
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<String> frames = new ArrayList<>();
        frames.add(new String(first, StandardCharsets.UTF_8));
        while (socket.hasReceiveMore()) {
            frames.add(new String(socket.recv(), StandardCharsets.UTF_8));
        }
        int d = frames.indexOf(DELIMITER);
        return frames.subList(d + 1, frames.size());
    }

    static JsonObject json(String s) {
        return JsonParser.parseString(s).getAsJsonObject();
    }

    @Override
    public void close() {
        socket.close();
        context.close();
    }
}
