package org.calmnest.kernel.notebooks;

import org.calmnest.kernel.eval.ClassPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Executes every demo notebook ({@code notebooks/*.ipynb}) and every tutorial chapter with its
 * solutions filled in ({@code tutorials/solutions/*.ipynb}) through the calmnest kernel, installed
 * into a temporary Jupyter prefix, with {@code CALMNEST_BUDGET=ci}. The Python driver
 * ({@code src/test/python/run_notebooks.py}, nbclient on {@code /usr/bin/python3}) fails on any
 * error output, a chart cell without a PNG, or an exercise check that does not say "correct".
 * Executed notebooks and a timing table land in {@code kernel/target/notebooks/}.
 * <p>
 * {@code -Dnotebooks.students=true} also runs the student versions and requires every blank to
 * fail its check cleanly ("not yet", no error). {@code -Dnotebooks.budget=laptop} runs the default
 * budgets. Slow (minutes): {@code mvn -B -Pslow -pl kernel -am test -Dtest=NotebooksTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class NotebooksTest {

    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void everyNotebookAndSolvedChapterRunsCleanThroughTheKernel() throws Exception {
        Path root = repoRoot();
        List<Path> notebooks = new ArrayList<>(list(root.resolve("notebooks")));
        notebooks.addAll(list(root.resolve("tutorials/solutions")));
        assertThat(notebooks).as("notebooks to run").hasSizeGreaterThanOrEqualTo(13);
        Path out = root.resolve("kernel/target/notebooks");
        assertThat(run(root, notebooks, out, false)).as("run_notebooks.py exit status (see the log above)").isZero();
        if (Boolean.getBoolean("notebooks.students")) {
            List<Path> students = list(root.resolve("tutorials"));
            assertThat(run(root, students, out.resolve("students"), true)).as("student versions").isZero();
        }
    }

    private static int run(Path root, List<Path> notebooks, Path out, boolean students) throws IOException, InterruptedException {
        Files.createDirectories(out);
        String java = ProcessHandle.current().info().command().orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(PYTHON, root.resolve("kernel/src/test/python/run_notebooks.py").toString(),
                "--classpath", String.join(File.pathSeparator, ClassPaths.current()), "--java", java,
                "--budget", System.getProperty("notebooks.budget", "ci"),
                "--save", out.toString(), "--timings", out.resolve("timings.md").toString()));
        if (students) {
            cmd.add("--students");
        }
        notebooks.forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).inheritIO().start();
        if (!p.waitFor(90, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("run_notebooks.py did not finish within 90 minutes");
        }
        return p.exitValue();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    private static Path repoRoot() {
        Path here = Paths.get("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("tutorials/solutions")) && Files.isDirectory(p.resolve("kernel"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root with tutorials/solutions above " + here);
    }
}
