package org.calmnest.lib.reliability;

import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile corpora: every case loads with documented handling or fails with an
 * IllegalArgumentException naming the file and the fix; none hangs or fails with a stray
 * exception type.
 */
class CorpusInputTest {

    private static final String THREE = "First paragraph here.\n\nSecond paragraph here.\n\nThird paragraph here.\n";

    @Test
    void anEmptyFileIsRefusedWithTheDocumentCount(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("empty.txt"), "");
        assertThatThrownBy(() -> Corpus.ofFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 document(s)");
        Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\t\n\n   \r\n");
        assertThatThrownBy(() -> Corpus.ofFile(blank)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 document(s)");
    }

    @Test
    void randomBinaryFilesAreRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Random r = new Random(10);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[1 + r.nextInt(4096)];
            r.nextBytes(b);
            b[r.nextInt(b.length)] = 0;                       // binary: at least one NUL
            Path f = Files.write(dir.resolve("bin" + i + ".dat"), b);
            assertThatThrownBy(() -> Corpus.ofFile(f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(f.getFileName().toString()).hasMessageContaining("binary");
        }
    }

    @Test
    void invalidUtf8IsRefusedWithTheOffsetNotReplaced(@TempDir Path dir) throws IOException {
        byte[][] bad = {
                {(byte) 0xC3},                                 // truncated 2-byte sequence
                {(byte) 0xE2, (byte) 0x82},                    // truncated 3-byte sequence
                {(byte) 0xC0, (byte) 0xAF},                    // overlong '/'
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},       // UTF-16 surrogate
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},   // above U+10FFFF
                {(byte) 0xFF}, {(byte) 0x80}};
        for (int i = 0; i < bad.length; i++) {
            byte[] head = THREE.getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[head.length + bad[i].length];
            System.arraycopy(head, 0, b, 0, head.length);
            System.arraycopy(bad[i], 0, b, head.length, bad[i].length);
            Path f = Files.write(dir.resolve("latin" + i + ".txt"), b);
            assertThatThrownBy(() -> Corpus.ofFile(f)).as("case " + i).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not valid UTF-8").hasMessageContaining("offset").hasMessageContaining("iconv");
        }
    }

    @Test
    void aSixteenMegabyteSingleLineLoadsInLinearTime(@TempDir Path dir) throws IOException {
        String huge = "word ".repeat((16 << 20) / 5);
        Path f = Files.writeString(dir.resolve("huge.txt"), "short one\n\n" + huge + "\n\nshort two\n");
        long t0 = System.nanoTime();
        Corpus c = Corpus.ofFile(f);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.documents().stream().mapToInt(String::length).max().orElseThrow()).isEqualTo(huge.strip().length());
        assertThat(c.documents(Split.TRAIN).size() + c.documents(Split.VALIDATION).size() + c.documents(Split.TEST).size())
                .isEqualTo(3);
        assertThat(seconds).as("no super-linear splitting").isLessThan(20);
    }

    @Test
    void aFolderWithFifosAndDanglingLinksSkipsThemInsteadOfHanging(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("doc" + i + ".txt"), "Document number " + i + ".");
        }
        Files.createSymbolicLink(dir.resolve("dangling.txt"), dir.resolve("missing.txt"));
        Process mkfifo = new ProcessBuilder("mkfifo", dir.resolve("pipe.txt").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.createDirectories(dir.resolve(".hidden"));
        Files.write(dir.resolve(".hidden/binary"), new byte[]{0, 1, 2});
        Corpus c = Corpus.ofDirectory(dir);                   // a FIFO read would block forever
        assertThat(c.size()).isEqualTo(3);
    }

    @Test
    void oneBinaryFileInAFolderNamesThatFile(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("doc" + i + ".txt"), "Document number " + i + ".");
        }
        Files.write(dir.resolve("model.bin"), new byte[]{1, 2, 0, 3});
        assertThatThrownBy(() -> Corpus.ofDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model.bin").hasMessageContaining("binary");
    }

    @Test
    void anUnreadableFileIsRefusedNamingTheFileAndTheFix(@TempDir Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("doc" + i + ".txt"), "Document number " + i + ".");
        }
        Path locked = Files.writeString(dir.resolve("locked.txt"), "secret");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions do not stop reads");
            assertThatThrownBy(() -> Corpus.ofDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("locked.txt").hasMessageContaining("chmod");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void missingPathsAndNullsAreRefusedClearly(@TempDir Path dir) {
        assertThatThrownBy(() -> Corpus.ofFile(dir.resolve("nope.txt"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope.txt").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> Corpus.ofDirectory(dir.resolve("nowhere"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nowhere");
        assertThatThrownBy(() -> Corpus.ofFile(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Corpus.ofDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no (non-hidden) files");
    }
}
