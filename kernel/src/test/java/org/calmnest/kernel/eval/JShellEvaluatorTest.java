package org.calmnest.kernel.eval;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JShellEvaluatorTest {

    static JShellEvaluator ev;

    @BeforeAll
    static void start() {
        ev = new JShellEvaluator(ClassPaths.current(), JShellEvaluatorTest.class.getClassLoader());
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void lastExpressionIsTheRawValue() throws Exception {
        JShellEvaluator.CellValue v = ev.eval("int a = 20;\nint b = 22;\nnew java.util.ArrayList<>(java.util.List.of(a + b))", 1);
        assertThat(v.hasValue()).isTrue();
        assertThat(v.value()).isInstanceOf(java.util.ArrayList.class).isEqualTo(List.of(42));
    }

    @Test
    void declarationsAndVoidCallsAreQuiet() throws Exception {
        assertThat(ev.eval("int quiet = 3;", 2).hasValue()).isFalse();
        assertThat(ev.eval("void hello() { }\nhello();", 3).hasValue()).isFalse();
        assertThat(ev.eval("quiet", 4).value()).isEqualTo(3);
    }

    @Test
    void nullIsAValue() throws Exception {
        JShellEvaluator.CellValue v = ev.eval("String s = null;\ns", 5);
        assertThat(v.hasValue()).isTrue();
        assertThat(v.value()).isNull();
    }

    @Test
    void compileErrorNamesCellLineAndColumn() {
        CellException e = catchThrowableOfType(CellException.class,
                () -> ev.eval("int ok = 1;\n\nint y = nope + 1;", 6));
        assertThat(e.errorName()).isEqualTo("CompilationException");
        assertThat(e.getMessage()).contains("cannot find symbol");
        String text = String.join("\n", e.traceback());
        assertThat(text).contains("cell [6], line 3, column 9").contains("int y = nope + 1;");
        assertThat(text).contains("^^^^");
    }

    @Test
    void runtimeErrorShowsUserFramesWithCellLines() {
        CellException e = catchThrowableOfType(CellException.class,
                () -> ev.eval("int div(int x) {\n  return 10 / x;\n}\ndiv(0)", 7));
        assertThat(e.errorName()).isEqualTo("java.lang.ArithmeticException");
        String text = String.join("\n", e.traceback());
        assertThat(text).contains("/ by zero").contains("div (cell [7], line 2)");
    }

    @Test
    @Timeout(20)
    void busyLoopIsStoppedByInterrupt() throws Exception {
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
            }
            ev.interrupt();
        });
        stopper.start();
        long t0 = System.nanoTime();
        CellException e = catchThrowableOfType(CellException.class, () -> ev.eval("long n = 0;\nwhile (true) { n++; }", 8));
        assertThat(e.errorName()).isEqualTo("Interrupted");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(1.5);
        assertThat(ev.eval("1 + 1", 9).value()).isEqualTo(2);
    }

    @Test
    void notebookSeesKernelClasses() throws Exception {
        assertThat(ev.eval("org.calmnest.dsl.display.Displays.class", 10).value())
                .isSameAs(org.calmnest.dsl.display.Displays.class);
    }
}
