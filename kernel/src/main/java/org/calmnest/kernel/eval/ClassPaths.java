package org.calmnest.kernel.eval;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The kernel's own class path as a list of files, for the JShell compiler. {@code java -jar} and
 * Surefire both start the JVM with one jar whose manifest {@code Class-Path} names the rest, so
 * manifest entries are followed.
 */
public final class ClassPaths {

    private ClassPaths() {
    }

    public static List<String> current() {
        Set<String> out = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                expand(Paths.get(entry).toAbsolutePath().normalize(), out);
            }
        }
        return new ArrayList<>(out);
    }

    private static void expand(Path entry, Set<String> out) {
        if (!out.add(entry.toString()) || !Files.isRegularFile(entry) || !entry.toString().endsWith(".jar")) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest mf = jar.getManifest();
            String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                return;
            }
            for (String item : cp.trim().split("\\s+")) {
                if (item.isEmpty()) {
                    continue;
                }
                Path p;
                if (item.startsWith("file:")) {
                    p = Paths.get(URI.create(item));
                } else {
                    p = entry.getParent() == null ? Paths.get(item) : entry.getParent().resolve(item);
                }
                expand(p.toAbsolutePath().normalize(), out);
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable jar contributes only itself
        }
    }
}
