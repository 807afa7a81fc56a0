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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Executes every demo notebook ({@code notebooks/*.ipynb}) and every tutorial chapter through the
 * calmnest kernel, installed into a temporary Jupyter prefix, with {@code CALMNEST_BUDGET=ci}. The
 * Python driver ({@code src/test/python/run_notebooks.py}, nbclient on {@code /usr/bin/python3})
 * fails on any error output or stack trace, a chart cell without a PNG, or an exercise check that
 * does not say what it must:
 * <ul>
 *   <li>the demos and the chapters with the solutions filled in ({@code tutorials/solutions/}):
 *       every check says "correct";</li>
 *   <li>the student chapters ({@code tutorials/NN-*.ipynb}, exercises left blank): every check
 *       says "not yet" with its hint, and no cell fails (the blanks fail visibly but cleanly).</li>
 * </ul>
 * Executed notebooks and timing tables land in {@code kernel/target/notebooks/}.
 * {@code -Dnotebooks.students=false} skips the student chapters; {@code -Dnotebooks.budget=laptop}
 * runs the default budgets. Slow (about half an hour on 2 busy cores): {@code mvn -B -Pslow -pl
 * kernel -am test -Dtest=NotebooksTest -Dsurefire.failIfNoSpecifiedTests=false}.
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
    }

    @Test
    void everyStudentChapterRunsAndItsBlanksSayNotYetWithAHint() throws Exception {
        assumeTrue(Boolean.parseBoolean(System.getProperty("notebooks.students", "true")), "-Dnotebooks.students=false");
        Path root = repoRoot();
        List<Path> students = list(root.resolve("tutorials"));
        assertThat(students).as("student chapters").hasSameSizeAs(list(root.resolve("tutorials/solutions")))
                .hasSizeGreaterThanOrEqualTo(10);
        Path out = root.resolve("kernel/target/notebooks/students");
        assertThat(run(root, students, out, true)).as("run_notebooks.py --students exit status (see the log above)").isZero();
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
