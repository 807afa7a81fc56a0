package org.calmnest.dsl.script;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Script mode as the launcher runs it: a separate JVM on ScriptRunner with a tiny CALM script
 * (autoencoder, CALM, baseline at the same FLOPs, comparison, charts).
 */
@Tag("slow")
class ScriptModeEndToEndTest {

    static final String SCRIPT = """
            var corpus = texts("tiny", List.of(
                    "The Commission supports the report. The Council adopts the budget.",
                    "Parliament welcomes the proposal. The committee amends the directive.",
                    "The rapporteur rejects the resolution. The Commission adopts the report.",
                    "The Council welcomes the directive. Parliament supports the budget.",
                    "The committee adopts the proposal. The rapporteur amends the report.",
                    "The Commission rejects the budget. The Council supports the resolution."));
            var ae = calm().chunk(2).latent(8).autoencoder().width(16).batch(32).train(corpus, steps(10));
            System.out.println("accuracy " + ae.accuracy());
            var lm = calm().chunk(2).autoencoder(ae).width(16).heads(2).layers(1).context(8).batch(2).energySamples(2).train(corpus, steps(3));
            var base = transformer().width(16).heads(2).layers(1).context(16).evalStride(2).batch(2).train(corpus, sameFlopsAs(lm));
            System.out.println("CALM " + lm.brierLM());
            System.out.println("base " + base.brierLM());
            compare(lm, base).plot()
            lm.history().plot()
            """;

    @Test
    void aTinyScriptRunsInItsOwnJvmAndWritesCharts(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("tiny.jsh");
        Files.writeString(script, SCRIPT);
        Path out = dir.resolve("charts");
        String cp = String.join(File.pathSeparator, ScriptRunner.classPath());
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", cp, ScriptRunner.class.getName(), script.toString(), "--out", out.toString()))
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("accuracy ").contains("CALM BrierLM ").contains("base BrierLM ")
                .contains("loss ") // the terminal sparkline line after each training
                .contains("charts written to " + out.toAbsolutePath());
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).toList())
                    .contains("01-brierlm-against-training-flops.png", "01-brierlm-against-training-flops.svg")
                    .anyMatch(n -> n.endsWith("-loss.png"));
        }
    }

    /**
     * The repository's scripts beside the notebooks, as {@code ./calmnest run} runs them, with
     * {@code CALMNEST_BUDGET=ci} (every budget shrunk to a few steps): exit status 0, the numbers
     * they print and the charts they write.
     */
    @ParameterizedTest
    @CsvSource({
            "calm-vs-transformer.jsh, brierlm-against-training-flops.png, 3",
            "forgetting.jsh, ACC, 4"})
    void theRepositoryScriptsRunWithCiBudgets(String name, String expected, int charts, @TempDir Path dir) throws Exception {
        Path script = repoRoot().resolve("notebooks/scripts").resolve(name);
        assertThat(script).exists();
        Path out = dir.resolve("charts");
        String cp = String.join(File.pathSeparator, ScriptRunner.classPath());
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx2g", "-cp", cp, ScriptRunner.class.getName(), script.toString(),
                "--out", out.toString())).redirectErrorStream(true);
        pb.environment().put("CALMNEST_BUDGET", "ci");
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains(expected).contains("charts written to " + out.toAbsolutePath());
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).as(text).isEqualTo(charts);
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("notebooks/scripts"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    @Test
    void aFailingScriptExitsWithOneAndNamesTheLine(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.jsh");
        Files.writeString(script, "var c = calm();\nc.train(texts(\"a\", \"b\", \"c\"), steps(1));\n");
        String cp = String.join(File.pathSeparator, ScriptRunner.classPath());
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, ScriptRunner.class.getName(), script.toString(), "--out", dir.resolve("o").toString()))
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(text).contains("bad.jsh:2: IllegalStateException: calm().train(..): the autoencoder is missing");
    }
}
