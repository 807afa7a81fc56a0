package org.calmnest.lib.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Strict reading of text files for {@link Corpus}: UTF-8 only (an optional byte-order mark is
 * dropped), no NUL bytes (a NUL marks a binary file). Anything else is rejected with an error that
 * names the file and the byte offset, never silently replaced by U+FFFD.
 */
final class TextFiles {

    private TextFiles() {
    }

    /** The file's text; IllegalArgumentException for a missing, binary or non-UTF-8 file. */
    static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Corpus: path " + file.toAbsolutePath()
                    + " does not exist or is not a regular file; pass an existing UTF-8 text file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException("Corpus: file " + file.toAbsolutePath() + " is not readable (permission denied);"
                    + " make it readable (chmod a+r) or move it out of the folder", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Corpus: file " + file.toAbsolutePath() + " cannot be read (" + e
                    + "); pass a readable regular UTF-8 text file, or leave this one out", e);
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException("Corpus: file " + file + " looks binary (NUL byte at offset " + i
                        + "); pass UTF-8 text files only");
            }
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return dec.decode(in).toString();
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("Corpus: file " + file + " is not valid UTF-8 (bad byte near offset "
                    + in.position() + "); convert it to UTF-8 (e.g. iconv -t UTF-8) or leave it out", e);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("Corpus: file " + file + " is not valid UTF-8 (" + e
                    + "); convert it to UTF-8 or leave it out", e);
        }
    }

    /** Regular, non-hidden files under the directory, recursively, sorted by relative path. */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Corpus: directory " + dir.toAbsolutePath()
                    + " does not exist or is not a directory; pass a folder of UTF-8 text files");
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(s.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(dir.relativize(p)))
                    .toList());
            files.sort((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Corpus: cannot list " + dir.toAbsolutePath(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Non-blank paragraphs (separated by one or more blank lines), stripped. */
    static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        for (String p : text.split("\\R[ \\t]*\\R(?:[ \\t]*\\R)*")) {
            String s = p.strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Non-blank lines, stripped. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String p : text.split("\\R")) {
            String s = p.strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
