package org.calmnest.dsl.reliability;

import com.google.gson.JsonParser;
import org.calmnest.dsl.Calmnest;
import org.calmnest.dsl.TinyCorpus;
import org.calmnest.dsl.result.TrainedAutoencoder;
import org.calmnest.dsl.result.TrainedTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing the project loads can execute code: no class of lib, dsl or kernel refers to Java
 * serialisation or XMLDecoder (checked in the compiled bytecode's constant pools and in the
 * sources), and saved DSL models are JSON plus the checksummed CheckpointFile format, loadable again.
 */
class NoJavaSerializationTest {

    private static final List<String> FORBIDDEN = List.of("java/io/ObjectInputStream", "java/io/ObjectOutputStream",
            "java/beans/XMLDecoder", "java/beans/XMLEncoder");

    @Test
    void noCompiledClassOfTheProjectReferencesJavaSerialisation() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();          // surefire runs in the module folder
        List<Path> classDirs = new ArrayList<>();
        for (String m : List.of("lib", "dsl", "kernel")) {
            Path d = root.resolve(m).resolve("target/classes");
            if (Files.isDirectory(d)) {
                classDirs.add(d);
            }
        }
        assertThat(classDirs).as("lib and dsl are compiled before these tests").hasSizeGreaterThanOrEqualTo(2);
        int scanned = 0;
        List<String> offenders = new ArrayList<>();
        for (Path d : classDirs) {
            try (Stream<Path> s = Files.walk(d)) {
                for (Path c : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String pool = new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1);
                    scanned++;
                    for (String f : FORBIDDEN) {
                        if (pool.contains(f)) {
                            offenders.add(root.relativize(c) + " -> " + f);
                        }
                    }
                }
            }
        }
        assertThat(scanned).isGreaterThan(100);
        assertThat(offenders).isEmpty();
        for (String m : List.of("lib", "dsl", "kernel")) {
            Path src = root.resolve(m).resolve("src/main/java");
            try (Stream<Path> s = Files.walk(src)) {
                for (Path j : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(j);
                    assertThat(text).as(j.toString()).doesNotContain("ObjectInputStream").doesNotContain("readObject(")
                            .doesNotContain("XMLDecoder");
                }
            }
        }
    }

    @Test
    void savedModelsAreJsonAndCheckpointFilesOnlyAndLoadAgain(@TempDir Path dir) throws IOException {
        var corpus = TinyCorpus.get();
        try (TrainedTransformer lm = Calmnest.transformer().width(16).heads(2).layers(1).context(16).batch(2)
                .train(corpus, Calmnest.steps(2));
             TrainedAutoencoder ae = Calmnest.calm().autoencoder().batch(4).train(corpus, Calmnest.steps(2))) {
            Path lmDir = lm.save(dir.resolve("lm"));
            Path aeDir = ae.save(dir.resolve("ae"));
            for (Path d : List.of(lmDir, aeDir)) {
                try (Stream<Path> s = Files.walk(d)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        byte[] b = Files.readAllBytes(f);
                        assertThat(b.length).isGreaterThan(2);
                        assertThat((b[0] & 0xFF) == 0xAC && (b[1] & 0xFF) == 0xED)
                                .as(f + " starts with the Java serialisation magic").isFalse();
                        String name = f.getFileName().toString();
                        if (name.endsWith(".json")) {
                            JsonParser.parseString(new String(b, StandardCharsets.UTF_8));   // plain JSON
                        } else {
                            assertThat(Arrays.copyOf(b, 13)).as(f.toString())
                                    .isEqualTo("CALMNEST-CKPT".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
            }
            try (TrainedTransformer again = TrainedTransformer.load(lmDir, corpus);
                 TrainedAutoencoder ae2 = TrainedAutoencoder.load(aeDir, corpus)) {
                assertThat(again.parameterCount()).isEqualTo(lm.parameterCount());
                assertThat(again.evaluate().loss()).isCloseTo(lm.evaluate().loss(), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(ae2.chunk()).isEqualTo(ae.chunk());
            }
        }
    }
}
