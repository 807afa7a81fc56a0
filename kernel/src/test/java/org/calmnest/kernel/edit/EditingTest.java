package org.calmnest.kernel.edit;

import org.calmnest.kernel.eval.ClassPaths;
import org.calmnest.kernel.eval.JShellEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EditingTest {

    static JShellEvaluator ev;
    static Editing editing;

    @BeforeAll
    static void start() throws Exception {
        ev = new JShellEvaluator(ClassPaths.current(), EditingTest.class.getClassLoader());
        ev.eval("import static org.calmnest.dsl.Calmnest.*;", 0);
        editing = new Editing(ev.analysis(), new SourceDocs(EditingTest.class.getClassLoader()));
    }

    @AfterAll
    static void stop() {
        ev.close();
    }

    @Test
    void completesInTheLastSnippetOfTheCell() {
        String code = "int a = 1;\nString s = \"x\";\n\"abc\".toUpp";
        Editing.Completion c = editing.complete(code, code.length());
        assertThat(c.matches()).contains("toUpperCase(");
        assertThat(code.substring(c.start(), c.end())).isEqualTo("toUpp");
    }

    @Test
    void completesDslMethodsAndMagics() {
        assertThat(editing.complete("transfor", 8).matches()).contains("transformer()");
        assertThat(editing.complete("%ma", 3).matches()).containsExactly("%maven");
    }

    @Test
    void inspectionShowsSignatureAndDslJavadoc() {
        String doc = editing.inspect("europarl(\"en\")", 3);
        assertThat(doc).contains("europarl(String").contains("Europarl sample shipped in the Lucene test framework");
        assertThat(editing.inspect("Math.max", 8)).contains("Math.max(int a, int b)");
    }

    @Test
    void inspectionFindsJavadocOfMethodsInheritedFromAGenericInterface() {
        // calm().seed(..) is declared once in SpecSettings<S extends SpecSettings<S>>
        assertThat(editing.inspect("calm().seed(", 11)).contains("seed(long s)").contains("Seed of initialisation");
        assertThat(SourceDocs.withoutTypeArguments("S a.B<S extends a.B<S>>.f(java.util.List<String> x, int y)"))
                .isEqualTo("S a.B.f(java.util.List x, int y)");
    }

    @Test
    void isCompleteKnowsIncompleteAndInvalid() {
        assertThat(editing.isComplete("int x = 1;")).isEqualTo(Editing.COMPLETE);
        assertThat(editing.isComplete("for (int i = 0; i < 3; i++) {")).isEqualTo("    ");
        assertThat(editing.isComplete("x.)")).isEqualTo(Editing.INVALID);
        assertThat(editing.isComplete("%time 1 + 1")).isEqualTo(Editing.COMPLETE);
    }
}
