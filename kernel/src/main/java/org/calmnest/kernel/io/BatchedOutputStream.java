package org.calmnest.kernel.io;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Collects what notebook code writes to {@code System.out} / {@code System.err} and hands it on
 * in batches: when 10 KB are waiting or when the kernel's flusher runs (every ~100 ms), never one
 * message per {@code println}. A UTF-8 character split across writes is held back until complete.
 */
public final class BatchedOutputStream extends OutputStream {

    /** Bytes that trigger an immediate flush. */
    public static final int BATCH_BYTES = 10 * 1024;

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Consumer<String> sink;

    /** @param sink receives each batch as text (called with this stream's lock held) */
    public BatchedOutputStream(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
        if (buffer.size() >= BATCH_BYTES) {
            flush();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
        if (buffer.size() >= BATCH_BYTES) {
            flush();
        }
    }

    /** Sends everything up to the last complete UTF-8 character. */
    @Override
    public synchronized void flush() {
        if (buffer.size() == 0) {
            return;
        }
        byte[] bytes = buffer.toByteArray();
        int end = completeUtf8Prefix(bytes);
        buffer.reset();
        buffer.write(bytes, end, bytes.length - end);
        if (end > 0) {
            sink.accept(new String(bytes, 0, end, StandardCharsets.UTF_8));
        }
    }

    /** Length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
    static int completeUtf8Prefix(byte[] b) {
        int n = b.length;
        // look back at most 3 bytes for the lead byte of the last sequence
        for (int i = n - 1; i >= Math.max(0, n - 4); i--) {
            int v = b[i] & 0xFF;
            if ((v & 0xC0) == 0x80) {
                continue; // continuation byte
            }
            int need = v >= 0xF0 ? 4 : v >= 0xE0 ? 3 : v >= 0xC0 ? 2 : 1;
            return i + need <= n ? n : i;
        }
        return n;
    }
}
