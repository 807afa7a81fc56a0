package org.calmnest.kernel;

import org.calmnest.kernel.eval.ClassPaths;
import org.calmnest.kernel.io.KernelIO;
import org.calmnest.kernel.io.KernelConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the kernel on a Jupyter connection file and exits the JVM when the connection closes
 * (jjava leaves non-daemon threads behind, and exiting is what frees the native memory of DJL).
 */
final class KernelLauncher {

    private KernelLauncher() {
    }

    static void run(Path connectionFile) throws Exception {
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("connection file \"" + connectionFile
                    + "\" does not exist: Jupyter passes it as {connection_file} in kernel.json");
        }
        // kernel logs go to the process's stderr (the Jupyter server log), never into a cell
        System.setProperty("org.slf4j.simpleLogger.cacheOutputStream", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("calmnest.kernel.logLevel", "warn"));
        System.setProperty("java.awt.headless", "true");
        PrintStream processOut = System.out;
        PrintStream processErr = System.err;
        org.slf4j.LoggerFactory.getLogger(KernelLauncher.class); // initialise logging on the real stderr
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        KernelIO io = new KernelIO(processOut, processErr);
        io.install();
        CalmnestKernel kernel = new CalmnestKernel(io, ClassPaths.current());
        kernel.afterShutdown(() -> { // if closing the sockets hangs, still end the process
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ignored) {
                    // exit now
                }
                Runtime.getRuntime().halt(0);
            }, "calmnest-exit-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        });
        kernel.onStartup(); // imports first: JShell is not thread-safe, cells must wait for them
        KernelConnection connection = new KernelConnection(props);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        processErr.println("calmnest kernel: connection closed, exiting");
        System.exit(0);
    }
}
