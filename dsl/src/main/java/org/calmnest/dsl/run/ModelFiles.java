package org.calmnest.dsl.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import org.calmnest.dsl.result.History;
import org.calmnest.dsl.spec.RunSettings;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.data.Tokenizers;
import org.calmnest.lib.train.BatchSource;
import org.calmnest.lib.train.EvalRecord;
import org.calmnest.lib.train.StepRecord;
import org.calmnest.lib.train.TrainableModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The folder a trained DSL model is saved to: {@code dsl.json} (kind, spec, corpus name, history),
 * {@code tokenizer.json} and {@code checkpoint.bin} (parameters + optimiser state + step, written
 * by the Trainer). JSON and the Trainer's format only; no Java serialisation.
 */
public final class ModelFiles {

    public static final String META = "dsl.json";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String CHECKPOINT = "checkpoint.bin";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private ModelFiles() {
    }

    /** What {@code dsl.json} holds. */
    public record Meta(String kind, String corpus, JsonObject spec, String historyName, List<StepRecord> steps,
                       List<EvalRecord> evals, Map<String, String> extra) {
    }

    /** Writes {@code dsl.json} atomically. */
    public static void writeMeta(Path dir, String kind, String corpus, Object spec, History h, Map<String, String> extra) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("corpus", corpus);
        o.add("spec", GSON.toJsonTree(spec));
        o.addProperty("historyName", h.name());
        o.add("steps", GSON.toJsonTree(h.steps()));
        o.add("evals", GSON.toJsonTree(h.evalRecords()));
        o.add("extra", GSON.toJsonTree(extra));
        write(dir.resolve(META), GSON.toJson(o));
    }

    /** Reads {@code dsl.json}, checking that it holds a model of {@code kind}. */
    public static Meta readMeta(Path dir, String kind) {
        Path f = dir.resolve(META);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("load(\"" + dir + "\"): " + f.toAbsolutePath()
                    + " does not exist; pass a folder written by save(..)");
        }
        JsonObject o;
        try {
            o = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), JsonObject.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("load(\"" + dir + "\"): " + f + " is not readable (" + e.getMessage()
                    + "); pass a folder written by save(..)", e);
        }
        String k = o.get("kind").getAsString();
        if (!kind.equals(k)) {
            throw new IllegalArgumentException("load(\"" + dir + "\"): the folder holds a " + k + ", not a " + kind
                    + "; load it with the matching load method");
        }
        List<StepRecord> steps = new ArrayList<>();
        o.getAsJsonArray("steps").forEach(e -> steps.add(GSON.fromJson(e, StepRecord.class)));
        List<EvalRecord> evals = new ArrayList<>();
        o.getAsJsonArray("evals").forEach(e -> {
            JsonObject r = e.getAsJsonObject();
            Map<String, Double> metrics = new HashMap<>();
            r.getAsJsonObject("metrics").entrySet().forEach(m -> metrics.put(m.getKey(), m.getValue().getAsDouble()));
            evals.add(new EvalRecord(r.get("step").getAsLong(), r.get("tokens").getAsLong(), r.get("flops").getAsDouble(),
                    r.get("loss").getAsDouble(), metrics));
        });
        Map<String, String> extra = new HashMap<>();
        o.getAsJsonObject("extra").entrySet().forEach(m -> extra.put(m.getKey(), m.getValue().getAsString()));
        return new Meta(k, o.get("corpus").getAsString(), o.getAsJsonObject("spec"), o.get("historyName").getAsString(),
                steps, evals, extra);
    }

    /** Parses a spec record back from its JSON. */
    public static <T> T spec(Meta meta, Class<T> type) {
        return GSON.fromJson(meta.spec(), type);
    }

    /** The history stored in the metadata. */
    public static History history(Meta meta) {
        return new History(meta.historyName(), meta.steps(), meta.evals(), false);
    }

    /** Writes the tokenizer to {@code dir/tokenizer.json}. */
    public static void saveTokenizer(Path dir, Tokenizer tokenizer) {
        try {
            tokenizer.save(dir.resolve(TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("save(\"" + dir + "\"): writing the tokenizer failed: " + e.getMessage(), e);
        }
    }

    /** Reads the tokenizer written by {@link #saveTokenizer}. */
    public static Tokenizer loadTokenizer(Path dir) {
        try {
            return Tokenizers.load(dir.resolve(TOKENIZER));
        } catch (IOException e) {
            throw new UncheckedIOException("load(\"" + dir + "\"): reading the tokenizer failed: " + e.getMessage(), e);
        }
    }

    /**
     * A training session for {@code model} restored from the folder: parameters, optimiser state
     * and step from its checkpoint, the history from {@code meta}.
     */
    public static TrainingSession resume(TrainableModel model, BatchSource data, RunSettings settings, Path dir, Meta meta) {
        return TrainingSession.resume(model, data, settings, dir.resolve(CHECKPOINT), history(meta));
    }

    /** Creates the folder (a clear error when it cannot). */
    public static Path folder(Path dir) {
        if (dir == null) {
            throw new IllegalArgumentException("save(null): path is null; pass a folder such as Path.of(\"models/lm\")");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("save(\"" + dir + "\"): the folder cannot be created (" + e.getMessage()
                    + "); choose a writable path", e);
        }
        return dir;
    }

    private static void write(Path file, String text) {
        try {
            Path abs = file.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
