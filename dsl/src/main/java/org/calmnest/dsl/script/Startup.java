package org.calmnest.dsl.script;

import java.util.List;

/**
 * The imports every DSL session starts with (JShell launcher, script mode, the notebook kernel):
 * the DSL entry class's static methods, the DSL types, Tablesaw and XChart, and common JDK
 * packages. {@link #script()} is the same as a JShell startup file.
 */
public final class Startup {

    /** One import statement per entry. */
    public static final List<String> IMPORTS = List.of(
            "import static org.calmnest.dsl.Calmnest.*;",
            "import org.calmnest.dsl.*;",
            "import org.calmnest.dsl.result.*;",
            "import org.calmnest.dsl.chart.*;",
            "import org.calmnest.lib.data.Corpus;",
            "import tech.tablesaw.api.*;",
            "import org.knowm.xchart.*;",
            "import java.util.*;",
            "import java.util.stream.*;",
            "import java.nio.file.*;");

    private Startup() {
    }

    /** The imports as a JShell startup script. */
    public static String script() {
        return String.join("\n", IMPORTS) + "\n";
    }

    /**
     * The JShell terminal's extra line: {@code display(chart)} saves the chart as PNG + SVG under
     * {@code charts/jshell/} and prints the path (a terminal cannot show images).
     */
    public static final String JSHELL_SINK = "org.calmnest.dsl.display.Displays.install(new org.calmnest.dsl.script.ScriptSink("
            + "java.nio.file.Path.of(\"charts\", \"jshell\"), System.out));";

    /**
     * Prints the startup script (the launcher writes it to target/ for {@code jshell --startup});
     * with the argument {@code jshell} also the terminal display sink.
     */
    public static void main(String[] args) {
        System.out.print(script());
        if (args.length > 0 && args[0].equals("jshell")) {
            System.out.println(JSHELL_SINK);
        }
    }
}
