package org.calmnest.kernel;

import org.calmnest.kernel.eval.ClassPaths;
import org.calmnest.kernel.install.Installer;
import org.calmnest.kernel.install.KernelSpec;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of the calmnest kernel jar.
 *
 * <pre>
 * java -jar calmnest-kernel.jar install [--user|--sys-prefix|--prefix DIR] [--name N]
 *                                       [--display-name TEXT] [--jvm-opt X]... [--java PATH] [--python PATH]
 * java -jar calmnest-kernel.jar uninstall [--user|--sys-prefix|--prefix DIR] [--name N]
 * java -jar calmnest-kernel.jar kernel CONNECTION_FILE
 * </pre>
 */
public final class Main {

    static final String USAGE = String.join("\n",
            "usage: java -jar calmnest-kernel.jar install [--user|--sys-prefix|--prefix DIR] [--name NAME]",
            "                 [--display-name TEXT] [--jvm-opt OPTION]... [--java PATH] [--python PATH]",
            "       java -jar calmnest-kernel.jar uninstall [--user|--sys-prefix|--prefix DIR] [--name NAME]",
            "       java -jar calmnest-kernel.jar kernel CONNECTION_FILE");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        try {
            switch (args[0]) {
                case "kernel" -> {
                    if (args.length != 2) {
                        throw new IllegalArgumentException("kernel needs exactly one connection file\n" + USAGE);
                    }
                    KernelLauncher.run(Paths.get(args[1]));
                }
                case "install", "uninstall" -> System.out.println(installCommand(args));
                case "-h", "--help", "help" -> System.out.println(USAGE);
                default -> throw new IllegalArgumentException("unknown command \"" + args[0] + "\"\n" + USAGE);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("calmnest-kernel: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Runs install/uninstall and returns what to print. */
    static String installCommand(String[] args) throws Exception {
        boolean install = args[0].equals("install");
        Installer.Scope scope = Installer.Scope.USER;
        String prefix = null;
        String name = KernelSpec.DEFAULT_NAME;
        String displayName = KernelSpec.DEFAULT_DISPLAY_NAME;
        String java = defaultJava();
        String python = "python3";
        String classPath = null;
        List<String> jvmOptions = new ArrayList<>(List.of("-Dai.djl.offline=true"));
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--user" -> scope = Installer.Scope.USER;
                case "--sys-prefix" -> scope = Installer.Scope.SYS_PREFIX;
                case "--prefix" -> {
                    scope = Installer.Scope.PREFIX;
                    prefix = value(args, ++i, a);
                }
                case "--name" -> name = value(args, ++i, a);
                case "--display-name" -> displayName = value(args, ++i, a);
                case "--java" -> java = value(args, ++i, a);
                case "--python" -> python = value(args, ++i, a);
                case "--jvm-opt" -> jvmOptions.add(value(args, ++i, a));
                case "--classpath" -> classPath = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option \"" + a + "\"\n" + USAGE);
            }
        }
        if (!name.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--name \"" + name + "\" may only use letters, digits, '.', '_' and '-'");
        }
        Path kernels = Installer.kernelsDir(scope, prefix, python);
        if (!install) {
            return Installer.uninstall(kernels, name)
                    ? "removed kernelspec " + kernels.resolve(name)
                    : "no kernelspec " + kernels.resolve(name) + " to remove";
        }
        if (!Files.isExecutable(Paths.get(java))) {
            throw new IllegalArgumentException("--java \"" + java + "\" is not an executable file: give the path of bin/java of a JDK 17 or newer");
        }
        KernelSpec spec = new KernelSpec(displayName, Paths.get(java).toAbsolutePath().toString(), jvmOptions, launch(classPath));
        Path dir = Installer.install(spec, kernels, name);
        return "installed kernelspec " + dir + "\n" + spec.toJson();
    }

    /** How kernel.json starts this code: {@code -jar} for the packaged jar, else the class path. */
    static List<String> launch(String classPath) throws URISyntaxException {
        if (classPath != null) {
            return List.of("-cp", classPath, Main.class.getName());
        }
        Path self = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
            return List.of("-jar", self.toString());
        }
        return List.of("-cp", String.join(File.pathSeparator, ClassPaths.current()), Main.class.getName());
    }

    private static String defaultJava() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
