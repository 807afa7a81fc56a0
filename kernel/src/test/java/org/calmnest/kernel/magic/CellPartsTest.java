package org.calmnest.kernel.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CellPartsTest {

    @Test
    void splitsCodeAndLineMagicsInOrder() {
        String cell = "int a = 1;\n%classpath lib/*.jar\nint b = a % 2;\n  %time a + b";
        List<CellParts.Part> parts = CellParts.split(cell, 0);
        assertThat(parts).hasSize(4);
        assertThat(parts.get(0)).isEqualTo(new CellParts.Code(0, 11));
        CellParts.LineMagic cp = (CellParts.LineMagic) parts.get(1);
        assertThat(cp.name()).isEqualTo("classpath");
        assertThat(cp.args()).isEqualTo("lib/*.jar");
        assertThat(cp.line()).isEqualTo(1);
        CellParts.Code code = (CellParts.Code) parts.get(2);
        assertThat(cell.substring(code.from(), code.to())).isEqualTo("int b = a % 2;\n");
        CellParts.LineMagic time = (CellParts.LineMagic) parts.get(3);
        assertThat(cell.substring(time.argsFrom(), time.argsFrom() + time.args().length())).isEqualTo("a + b");
    }

    @Test
    void cellMagicTakesTheRestOfTheCell() {
        String cell = "%%time\nint x = 1;\nx";
        CellParts.CellMagic m = CellParts.cellMagic(cell);
        assertThat(m.name()).isEqualTo("time");
        assertThat(cell.substring(m.bodyFrom())).isEqualTo("int x = 1;\nx");
        assertThat(CellParts.cellMagic("int x = 5 % 2;")).isNull();
    }

    @Test
    void quotedWordsStayTogether() {
        assertThat(CellParts.words("a \"b c\"  d")).containsExactly("a", "b c", "d");
        assertThat(CellParts.words("   ")).isEmpty();
    }

    @Test
    void mavenCoordinatesParseWithAndWithoutClassifier() {
        MavenResolver.Coordinate c = MavenResolver.Coordinate.parse("ai.djl.pytorch:pytorch-native-cpu:linux-x86_64:2.7.1");
        assertThat(c.classifier()).isEqualTo("linux-x86_64");
        assertThat(c.version()).isEqualTo("2.7.1");
        assertThat(MavenResolver.Coordinate.parse("g:a:1.0").classifier()).isNull();
        assertThatThrownBy(() -> MavenResolver.Coordinate.parse("just-a-name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group:artifact:version");
        assertThat(MavenResolver.pom(List.of(c))).contains("<classifier>linux-x86_64</classifier>");
    }

    @Test
    void artifactNamesFromJarPaths() {
        assertThat(Magics.artifactOf("/r/org/ow2/asm/asm/9.8/asm-9.8.jar")).isEqualTo("asm");
        assertThat(Magics.artifactOf("lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar")).isEqualTo("pytorch-native-cpu");
        assertThat(Magics.artifactOf("classes")).isNull();
    }
}
