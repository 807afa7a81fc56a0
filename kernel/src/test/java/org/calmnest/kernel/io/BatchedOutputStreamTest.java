package org.calmnest.kernel.io;

import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BatchedOutputStreamTest {

    @Test
    void manyPrintlnsBecomeOneBatch() {
        List<String> batches = new ArrayList<>();
        BatchedOutputStream s = new BatchedOutputStream(batches::add);
        PrintStream ps = new PrintStream(s, false, StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            ps.println(i);
        }
        assertThat(batches).isEmpty();
        ps.flush();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).startsWith("0\n1\n").endsWith("99\n");
    }

    @Test
    void largeOutputFlushesAtTheBatchSize() {
        List<String> batches = new ArrayList<>();
        BatchedOutputStream s = new BatchedOutputStream(batches::add);
        byte[] chunk = new byte[1000];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 25; i++) {
            s.write(chunk, 0, chunk.length);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).hasSizeGreaterThanOrEqualTo(BatchedOutputStream.BATCH_BYTES);
    }

    @Test
    void splitUtf8CharacterWaitsForItsLastByte() {
        List<String> batches = new ArrayList<>();
        BatchedOutputStream s = new BatchedOutputStream(batches::add);
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 'a' + 3 bytes
        s.write(euro, 0, 2);
        s.flush();
        assertThat(batches).containsExactly("a");
        s.write(euro, 2, 2);
        s.flush();
        assertThat(batches).containsExactly("a", "€");
    }
}
