package org.calmnest.lib.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportTest {

    @Test
    void rendersTitleParagraphsTablesAndNotes(@TempDir Path dir) throws Exception {
        Report r = new Report("bench").paragraph("intro");
        r.section("speed").columns("a", "b").row(1, "x").row(2.5, "y").note("note");
        r.section("empty").note("nothing measured");
        String md = r.markdown();
        assertThat(md).startsWith("# bench\n\nintro\n\n## speed\n\n| a | b |\n|---|---|\n| 1 | x |\n| 2.5 | y |\n\nnote\n\n");
        assertThat(md).contains("## empty\n\nnothing measured\n");
        Path f = dir.resolve("sub/report.md");
        r.write(f);
        assertThat(Files.readString(f)).isEqualTo(md);
        assertThat(Files.list(f.getParent())).hasSize(1); // no temporary file left behind
    }

    @Test
    void rowWithWrongCellCountIsRejected() {
        Report.Section s = new Report("t").section("s").columns("a", "b");
        assertThatThrownBy(() -> s.row(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells").hasMessageContaining("2 columns");
    }

    @Test
    void handWrittenAnalysisAfterTheMarkerIsKept(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("b.md");
        assertThat(Bench.keptAnalysis(f)).isEmpty();
        Files.writeString(f, "# old\n\n| a |\n\n" + Bench.KEEP_MARKER + "\n\n## Analysis\n\nDJL is fine.\n");
        Report r = new Report("new");
        r.section("s").note("measured");
        r.trailer(Bench.keptAnalysis(f).orElse(null));
        r.write(f);
        r.write(f);                                            // rewriting does not repeat the trailer
        assertThat(Files.readString(f)).isEqualTo("# new\n\n## s\n\nmeasured\n\n" + Bench.KEEP_MARKER
                + "\n\n## Analysis\n\nDJL is fine.\n");
        Files.writeString(f, "# old, no marker\n");
        assertThat(Bench.keptAnalysis(f)).isEmpty();
    }
}
