package org.calmnest.kernel.reliability;

import com.google.gson.JsonObject;
import org.calmnest.kernel.eval.ClassPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message signing and exposure of the real kernel process, with a raw ZeroMQ client: messages
 * whose HMAC-SHA256 signature is wrong, missing, made with another key, or belongs to other
 * content are ignored (no reply, no effect, a log line), including a forged shutdown on the
 * control channel; correctly signed ones are answered, with replies signed by the same key; the
 * kernel listens only on the connection file's address (127.0.0.1).
 */
@Timeout(180)
class KernelSigningTest {

    private static final String KEY = UUID.randomUUID().toString();
    private static Path dir;
    private static Process kernel;
    private static Path log;
    private static int[] ports;

    @BeforeAll
    static void startKernel() throws Exception {
        dir = Files.createTempDirectory("calmnest-signing");
        ports = freePorts(5);
        JsonObject c = new JsonObject();
        c.addProperty("transport", "tcp");
        c.addProperty("ip", "127.0.0.1");
        c.addProperty("shell_port", ports[0]);
        c.addProperty("iopub_port", ports[1]);
        c.addProperty("stdin_port", ports[2]);
        c.addProperty("control_port", ports[3]);
        c.addProperty("hb_port", ports[4]);
        c.addProperty("key", KEY);
        c.addProperty("signature_scheme", "hmac-sha256");
        c.addProperty("kernel_name", "calmnest");
        Path conn = Files.writeString(dir.resolve("kernel.json"), c.toString());
        log = dir.resolve("kernel.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", String.join(File.pathSeparator, ClassPaths.current()),
                "org.calmnest.kernel.Main", "kernel", conn.toString());
        kernel = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kernel != null && kernel.isAlive()) {
            kernel.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (var w = Files.walk(dir)) {
                w.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void badSignaturesAreIgnoredAndLoggedGoodOnesAnsweredAndOnlyLoopbackIsBound() throws Exception {
        try (WireClient shell = new WireClient("tcp://127.0.0.1:" + ports[0]);
             WireClient control = new WireClient("tcp://127.0.0.1:" + ports[3])) {
            awaitInfoReply(shell, 90_000);                  // the kernel is up

            // each bad message is followed by a good request: the first reply must be to the good one
            String header = shell.header("execute_request", UUID.randomUUID().toString());
            String harmless = "{\"code\":\"1\",\"silent\":false}";
            String evil = "{\"code\":\"System.exit(3)\",\"silent\":false}";
            List<Runnable> attacks = List.of(
                    () -> shell.send("kernel_info_request", "{}", "not-the-key"),
                    () -> shell.send("kernel_info_request", "{}", null),
                    () -> shell.sendFrames(List.of(WireClient.DELIMITER, WireClient.sign(KEY, header, "{}", "{}", harmless),
                            header, "{}", "{}", evil)),                      // a signature of other content
                    () -> shell.sendFrames(List.of(WireClient.DELIMITER, "zzzz", "{not json", "\u0000\u0001", "", "")),
                    () -> shell.sendFrames(List.of(WireClient.DELIMITER, "abc")),
                    () -> control.send("shutdown_request", "{\"restart\":false}", "wrong-key"),
                    () -> control.send("shutdown_request", "{\"restart\":false}", null));
            for (int a = 0; a < attacks.size(); a++) {
                attacks.get(a).run();
                String good = shell.send("kernel_info_request", "{}", KEY);
                List<String> reply = shell.receive(20_000);
                assertThat(reply).as("attack " + a + ": the kernel answers the next request; log:\n" + logText()).isNotNull();
                assertThat(WireClient.json(reply.get(2)).get("msg_id").getAsString())
                        .as("attack " + a + ": the first reply is to the good request").isEqualTo(good);
                assertThat(reply.get(0)).as("replies are signed with the connection key")
                        .isEqualTo(WireClient.sign(KEY, reply.get(1), reply.get(2), reply.get(3), reply.get(4)));
            }
            assertThat(shell.receive(1500)).as("no late replies to the bad messages").isNull();
            assertThat(kernel.isAlive()).as("forged System.exit / shutdown had no effect").isTrue();

            String logText = logText();
            assertThat(count(logText, "invalid signature")).as("every bad signature is logged:\n" + logText)
                    .isGreaterThanOrEqualTo(5);

            assertListensOnlyOnLoopback();

            control.send("shutdown_request", "{\"restart\":false}", KEY);
            assertThat(control.receive(30_000)).isNotNull();
            assertThat(kernel.waitFor(60, TimeUnit.SECONDS)).as("a signed shutdown ends the process").isTrue();
        }
    }

    private static void awaitInfoReply(WireClient shell, long millis) {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            assertThat(kernel.isAlive()).as("kernel process alive").isTrue();
            String id = shell.send("kernel_info_request", "{}", KEY);
            List<String> r = shell.receive(3000);
            while (r != null) {
                if (WireClient.json(r.get(2)).get("msg_id").getAsString().equals(id)) {
                    return;
                }
                r = shell.receive(500);
            }
        }
        throw new AssertionError("the kernel did not answer kernel_info_request");
    }

    /** Every socket on our five ports is bound to 127.0.0.1 (in /proc/net/tcp 0100007F, or IPv4-mapped in tcp6), none to any other address. */
    private static void assertListensOnlyOnLoopback() throws IOException {
        Set<Integer> mine = new HashSet<>();
        for (int p : ports) {
            mine.add(p);
        }
        List<String> bound = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            for (String line : Files.readAllLines(t).subList(1, Files.readAllLines(t).size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                int port = Integer.parseInt(local[1], 16);
                if (mine.contains(port) && f[3].equals("0A")) {          // 0A = LISTEN
                    bound.add(local[0] + ":" + port);
                }
            }
        }
        assertThat(bound).as("listening sockets of the kernel").hasSize(5)
                .allMatch(b -> b.toUpperCase(Locale.ROOT).startsWith("0100007F:")                // 127.0.0.1
                        || b.toUpperCase(Locale.ROOT).startsWith("0000000000000000FFFF00000100007F:"));   // ::ffff:127.0.0.1
        // and a connection to a non-loopback address of this machine is refused
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (!a.isLoopbackAddress() && a instanceof java.net.Inet4Address) {
                    try (Socket s = new Socket()) {
                        s.connect(new java.net.InetSocketAddress(a, ports[0]), 1000);
                        throw new AssertionError("shell port reachable on " + a);
                    } catch (IOException expected) {
                        // refused: good
                    }
                }
            }
        }
    }

    private static String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int[] freePorts(int n) throws IOException {
        int[] p = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                p[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return p;
    }
}
