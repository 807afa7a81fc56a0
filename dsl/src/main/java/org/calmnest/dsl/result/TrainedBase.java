package org.calmnest.dsl.result;

import org.calmnest.dsl.Budget;
import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.run.Devices;
import org.calmnest.dsl.spec.Check;
import org.calmnest.dsl.spec.RunSettings;
import org.calmnest.dsl.run.ModelFiles;
import org.calmnest.dsl.run.TrainingSession;
import org.calmnest.lib.data.Corpus;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.train.EvalRecord;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the trained DSL models share: the training session (model, data, trainer), corpus and
 * tokenizer; continuing training; the text, HTML and chart forms.
 */
abstract class TrainedBase implements TrainedModel, AutoCloseable {

    protected final TrainingSession session;
    protected final Corpus corpus;
    protected final Tokenizer tokenizer;

    TrainedBase(TrainingSession session, Corpus corpus, Tokenizer tokenizer) {
        this.session = session;
        this.corpus = corpus;
        this.tokenizer = tokenizer;
    }

    /**
     * What every {@code train(..)} does before building a model: the arguments are there, the
     * spec's fields fit together, the device exists (so a missing GPU fails before any data is
     * read). Returns the corpus cut to the spec's maxDocuments.
     */
    static Corpus startTraining(String where, Corpus corpus, Budget budget, Runnable validate, RunSettings settings) {
        Check.notNull(where, "corpus", corpus, "pass a corpus such as europarl(\"en\") or text(\"notes.txt\")");
        Check.notNull(where, "budget", budget, "pass a budget such as steps(300) or minutes(1)");
        validate.run();
        Devices.resolve(where, settings.device());
        return settings.limit(corpus);
    }

    /** What every {@code load(dir, corpus)} reads first: the folder's {@code dsl.json}, checked to hold a model of {@code kind}. */
    static ModelFiles.Meta startLoading(Path dir, Corpus corpus, String kind) {
        Check.notNull("load(..)", "corpus", corpus, "pass the corpus to evaluate and continue on, e.g. europarl(\"en\")");
        return ModelFiles.readMeta(dir, kind);
    }

    @Override
    public History history() {
        return session.history();
    }

    @Override
    public String device() {
        return Devices.of(session.model());
    }

    /** The corpus the model trained on. */
    public Corpus corpus() {
        return corpus;
    }

    /** The tokenizer of the model. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Runs the validation batches now: held-out loss and metrics. */
    public EvalRecord evaluate() {
        return session.evaluate();
    }

    /** Continues training for {@code more} (optimiser state carries over); returns the longer history. */
    protected History continueTraining(Budget more) {
        History h = session.continueTraining(more);
        invalidate();
        return h;
    }

    /**
     * Writes the model folder: {@code dsl.json} (kind, spec, corpus name, history), the checkpoint
     * (parameters, optimiser state, step) and, when asked, the tokenizer.
     */
    protected Path writeFolder(Path dir, String kind, Object spec, boolean withTokenizer) {
        ModelFiles.folder(dir);
        if (withTokenizer) {
            ModelFiles.saveTokenizer(dir, tokenizer);
        }
        session.saveCheckpoint(dir.resolve(ModelFiles.CHECKPOINT));
        ModelFiles.writeMeta(dir, kind, corpus.name(), spec, history(), Map.of());
        return dir;
    }

    /** Drops cached evaluations after more training. */
    protected void invalidate() {
    }

    /** Name, shape and settings lines of the summary. */
    protected abstract Map<String, String> describe();

    @Override
    public String summary() {
        StringBuilder b = new StringBuilder(name()).append('\n');
        Map<String, String> rows = new LinkedHashMap<>(describe());
        rows.putAll(history().keyValues());
        rows.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        b.append("  loss curve: ").append(history().sparkline(40));
        return b.toString();
    }

    @Override
    public String toString() {
        History h = history();
        return String.format(Locale.ROOT, "%s[%s, %,d params, %d steps, loss %.4f, val %.4f%s]",
                getClass().getSimpleName(), name(), parameterCount(), h.stepCount(), h.lastLoss(),
                h.lastValidationLoss(), h.cancelled() ? ", interrupted" : "");
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, String> rows = new LinkedHashMap<>(describe());
        rows.putAll(history().keyValues());
        byte[] png = history().steps().isEmpty() ? null : ChartFiles.png(history().plot());
        return Html.bundle(summary(), Html.keyValues(name(), rows), png);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
