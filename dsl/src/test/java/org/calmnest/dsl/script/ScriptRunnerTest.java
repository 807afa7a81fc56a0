package org.calmnest.dsl.script;

import org.calmnest.dsl.display.Displays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** One JShell (a few seconds to start) shared by the script-mode tests. */
class ScriptRunnerTest {

    private static final ByteArrayOutputStream BYTES = new ByteArrayOutputStream();
    private static final PrintStream OUT = new PrintStream(BYTES, true, StandardCharsets.UTF_8);
    private static Path dir;
    private static ScriptRunner runner;
    private static PrintStream stdout;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("calmnest-script");
        stdout = System.out;
        System.setOut(OUT); // local execution prints the script's System.out to this JVM's stdout
        runner = new ScriptRunner(dir, OUT);
    }

    @AfterAll
    static void stop() {
        runner.close();
        System.setOut(stdout);
        assertThat(Displays.current()).isSameAs(Displays.TERMINAL);
    }

    private static String run(String script, int expectedStatus) {
        BYTES.reset();
        int status = runner.run(script, "t.jsh");
        String text = BYTES.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isEqualTo(expectedStatus);
        return text;
    }

    @Test
    void aChainContinuedOnTheNextLineIsOneSnippet() {
        String text = run("""
                var b = steps(5)
                        // a comment inside the chain
                        .and(minutes(1));
                System.out.println("chained " + b);
                steps(7)

                    .and(steps(3))
                """, 0);
        assertThat(text).contains("chained Budget[5 steps or 1 min]").contains("Budget[3 steps]");
    }

    @Test
    void startupImportsAreThereAndBareExpressionsAreShown() {
        String text = run("""
                // a comment
                var b = steps(5).and(minutes(1));
                b
                int twice(int x) {
                    return 2 * x;
                }
                System.out.println("twice " + twice(21));
                System.out.printf("%d%n", 7);
                steps(9);
                Charts.robustness(new double[] {0, 1}, new double[] {1, 0.5})
                """, 0);
        assertThat(text).contains("Budget[5 steps or 1 min]").contains("twice 42").contains("7")
                .doesNotContain("PrintStream").doesNotContain("Budget[9 steps]");
        assertThat(text).contains("chart \"Autoencoder robustness\" saved to ");
        assertThat(runner.savedCharts()).anyMatch(p -> p.getFileName().toString().endsWith("autoencoder-robustness.png"));
        assertThat(runner.savedCharts()).allMatch(Files::exists);
    }

    @Test
    void aDslErrorStopsTheScriptWithItsLineAndMessage() {
        String text = run("var a = steps(3);\n\nvar b = steps(0);\nSystem.out.println(\"not reached\");\n", 1);
        assertThat(text).contains("t.jsh:3: IllegalArgumentException: steps(0): steps = 0 is out of range; use steps(n) with n >= 1")
                .doesNotContain("not reached").doesNotContain("at org.calmnest");
    }

    @Test
    void aCompileErrorNamesTheLineAndExitStops() {
        assertThat(run("int x = 1;\nString s = x + ;\n", 1)).startsWith("t.jsh:2: error: ");
        assertThat(run("/exit\nint y = 1 +;\n", 0)).isEmpty();
        assertThat(run("/reset\n", 1)).contains("not supported in script mode");
    }

    @Test
    void aDslChainRunsInJShellAndGivesARealChart() {
        run("""
                var corpus = texts("tiny", List.of("The Commission supports the report.", "The Council adopts the budget.",
                        "Parliament welcomes the proposal.", "The committee amends the directive."));
                var lm = transformer().width(16).layers(1).heads(2).context(16).batch(2).train(corpus, steps(2));
                """, 0);
        Object chart = runner.value("lm.history().plot(\"tokens\")");
        assertThat(chart).isInstanceOf(org.knowm.xchart.XYChart.class);
        assertThat(((org.knowm.xchart.XYChart) chart).getSeriesMap().get("train loss").getXData()).hasSize(2);
        assertThat(runner.value("lm")).isInstanceOf(org.calmnest.dsl.result.TrainedTransformer.class);
        assertThat(runner.value("europarlLanguages().containsKey(\"en\")")).isEqualTo(true);
    }
}
