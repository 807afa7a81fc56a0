package org.calmnest.kernel.install;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallerTest {

    @Test
    void kernelJsonHasAbsoluteArgvAndMessageInterrupts(@TempDir Path tmp) throws Exception {
        KernelSpec spec = new KernelSpec("calmnest (Java)", "/usr/bin/java",
                List.of("-Dai.djl.offline=true", "-Xmx2g"), List.of("-jar", "/opt/calmnest-kernel.jar"));
        Path kernels = Installer.kernelsDir(Installer.Scope.PREFIX, tmp.toString(), null);
        Path dir = Installer.install(spec, kernels, "calmnest");
        assertThat(dir).isEqualTo(tmp.resolve("share/jupyter/kernels/calmnest"));
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertThat(json.get("display_name").getAsString()).isEqualTo("calmnest (Java)");
        assertThat(json.get("language").getAsString()).isEqualTo("java");
        assertThat(json.get("interrupt_mode").getAsString()).isEqualTo("message");
        assertThat(json.get("argv").toString()).isEqualTo(
                "[\"/usr/bin/java\",\"-Dai.djl.offline=true\",\"-Xmx2g\",\"-jar\",\"/opt/calmnest-kernel.jar\",\"kernel\",\"{connection_file}\"]");
        assertThat(Installer.uninstall(kernels, "calmnest")).isTrue();
        assertThat(dir).doesNotExist();
        assertThat(Installer.uninstall(kernels, "calmnest")).isFalse();
    }

    @Test
    void badArgumentsAreExplained() {
        assertThatThrownBy(() -> new KernelSpec("x", "", List.of(), List.of("-jar", "k.jar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--java");
        assertThatThrownBy(() -> Installer.kernelsDir(Installer.Scope.PREFIX, " ", null))
                .hasMessageContaining("--prefix needs a folder");
    }
}
