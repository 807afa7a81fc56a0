package org.calmnest.lib.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The Markdown report of one benchmark run: a header (command, date, machine) and one section per
 * benchmark, each a table plus notes. Written atomically, so an interrupted run never leaves half
 * a report in the repository.
 */
public final class Report {

    /** One section: a title, a table (header + rows of cells) and free-text notes. */
    public static final class Section {
        private final String title;
        private final List<String> header = new ArrayList<>();
        private final List<List<String>> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        Section(String title) {
            this.title = title;
        }

        /** Sets the column names. */
        public Section columns(String... names) {
            header.clear();
            header.addAll(List.of(names));
            return this;
        }

        /** Adds a row; it must have as many cells as there are columns. */
        public Section row(Object... cells) {
            if (cells.length != header.size()) {
                throw new IllegalArgumentException("Report section \"" + title + "\": a row has " + cells.length
                        + " cells but the table has " + header.size() + " columns " + header);
            }
            List<String> r = new ArrayList<>();
            for (Object c : cells) {
                r.add(String.valueOf(c));
            }
            rows.add(r);
            return this;
        }

        /** Removes the rows and notes (the columns stay), for a section that is rewritten as results arrive. */
        public Section clear() {
            rows.clear();
            notes.clear();
            return this;
        }

        /** Adds a paragraph under the table. */
        public Section note(String text) {
            notes.add(text);
            return this;
        }

        public List<List<String>> rows() {
            return List.copyOf(rows);
        }

        String markdown() {
            StringBuilder sb = new StringBuilder("## ").append(title).append("\n\n");
            if (!header.isEmpty() && !rows.isEmpty()) {
                sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
                header.forEach(h -> sb.append("---|"));
                sb.append('\n');
                for (List<String> r : rows) {
                    sb.append("| ").append(String.join(" | ", r)).append(" |\n");
                }
                sb.append('\n');
            }
            for (String n : notes) {
                sb.append(n).append("\n\n");
            }
            return sb.toString();
        }
    }

    private final String title;
    private final List<String> preamble = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();
    private String trailer;

    public Report(String title) {
        this.title = title;
    }

    /** Adds a paragraph before the sections. */
    public Report paragraph(String text) {
        preamble.add(text);
        return this;
    }

    /** Sets the text printed after all sections (null = none), e.g. hand-written analysis. */
    public Report trailer(String text) {
        this.trailer = text;
        return this;
    }

    /** Starts a new section and returns it for filling in. */
    public Section section(String title) {
        Section s = new Section(title);
        sections.add(s);
        return s;
    }

    public List<Section> sections() {
        return List.copyOf(sections);
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (String p : preamble) {
            sb.append(p).append("\n\n");
        }
        for (Section s : sections) {
            sb.append(s.markdown());
        }
        if (trailer != null) {
            sb.append(trailer).append("\n");
        }
        return sb.toString();
    }

    /** Writes the report (via a temporary file and an atomic move). */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".bench", ".md");
            Files.writeString(tmp, markdown(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the benchmark report " + file + ": " + e.getMessage(), e);
        }
    }
}
