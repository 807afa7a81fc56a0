package org.calmnest.kernel.magic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Resolves {@code group:artifact[:classifier]:version} with its transitive dependencies by
 * running Maven ({@code dependency:build-classpath}) on a generated pom: the local repository
 * first (offline), then Maven Central when it is reachable.
 */
public final class MavenResolver {

    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** A parsed coordinate. */
    public record Coordinate(String group, String artifact, String classifier, String version) {
        public Coordinate {
            for (String p : new String[]{group, artifact, version}) {
                if (p == null || !PART.matcher(p).matches()) {
                    throw new IllegalArgumentException("%maven coordinate part \"" + p
                            + "\" is not valid: use group:artifact:version or group:artifact:classifier:version");
                }
            }
            if (classifier != null && !PART.matcher(classifier).matches()) {
                throw new IllegalArgumentException("%maven classifier \"" + classifier + "\" is not valid");
            }
        }

        public static Coordinate parse(String text) {
            String[] p = text.trim().split(":");
            return switch (p.length) {
                case 3 -> new Coordinate(p[0], p[1], null, p[2]);
                case 4 -> new Coordinate(p[0], p[1], p[2], p[3]);
                default -> throw new IllegalArgumentException("%maven coordinate \"" + text
                        + "\" has " + p.length + " parts: use group:artifact:version or group:artifact:classifier:version");
            };
        }

        @Override
        public String toString() {
            return group + ":" + artifact + (classifier == null ? "" : ":" + classifier) + ":" + version;
        }
    }

    private final String mvn;

    public MavenResolver() {
        this(System.getProperty("calmnest.kernel.mvn", "mvn"));
    }

    public MavenResolver(String mvnCommand) {
        this.mvn = mvnCommand;
    }

    /**
     * Returns the jar files of {@code coords} and all their runtime dependencies.
     *
     * @throws IOException with Maven's own explanation when a coordinate cannot be resolved
     */
    public List<String> resolve(List<Coordinate> coords) throws IOException, InterruptedException {
        if (coords.isEmpty()) {
            throw new IllegalArgumentException("%maven needs at least one coordinate, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        Path dir = Files.createTempDirectory("calmnest-maven");
        try {
            Files.writeString(dir.resolve("pom.xml"), pom(coords));
            Path out = dir.resolve("classpath.txt");
            String log = run(dir, out, true);
            if (log != null) { // offline failed: try once more with remote repositories
                log = run(dir, out, false);
            }
            if (log != null) {
                throw new IOException("Maven could not resolve " + coords + ":\n" + tail(log, 15));
            }
            String cp = Files.readString(out).trim();
            List<String> jars = new ArrayList<>();
            for (String e : cp.split(File.pathSeparator)) {
                if (!e.isBlank()) {
                    jars.add(e);
                }
            }
            return jars;
        } finally {
            deleteTree(dir);
        }
    }

    /** Runs Maven; returns null on success, else its output. */
    private String run(Path dir, Path out, boolean offline) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q"));
        if (offline) {
            cmd.add("-o");
        }
        cmd.addAll(List.of("dependency:build-classpath", "-Dmdep.outputFile=" + out, "-Dmdep.includeScope=runtime"));
        Path log = dir.resolve(offline ? "offline.log" : "online.log");
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("%maven needs Maven (\"" + mvn + "\") on the PATH, or -Dcalmnest.kernel.mvn=/path/to/mvn in the kernel's JVM options: " + e.getMessage(), e);
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return "Maven did not finish within 10 minutes";
        }
        return p.exitValue() == 0 && Files.exists(out) ? null : Files.readString(log, StandardCharsets.UTF_8);
    }

    static String pom(List<Coordinate> coords) {
        StringBuilder deps = new StringBuilder();
        for (Coordinate c : coords) {
            deps.append("    <dependency><groupId>").append(c.group()).append("</groupId><artifactId>")
                    .append(c.artifact()).append("</artifactId><version>").append(c.version()).append("</version>")
                    .append(c.classifier() == null ? "" : "<classifier>" + c.classifier() + "</classifier>")
                    .append("</dependency>\n");
        }
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>calmnest.notebook</groupId><artifactId>maven-magic</artifactId><version>1</version>\n"
                + "  <dependencies>\n" + deps + "  </dependencies>\n</project>\n";
    }

    private static String tail(String s, int lines) {
        String[] all = s.strip().split("\\R");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
