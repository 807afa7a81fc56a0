package org.calmnest.dsl;

import org.calmnest.dsl.display.Displays;
import org.calmnest.dsl.result.ArmComparison;
import org.calmnest.dsl.result.Comparison;
import org.calmnest.dsl.result.ForgettingReport;
import org.calmnest.dsl.result.TrainedLm;
import org.calmnest.dsl.result.TrainedModel;
import org.calmnest.dsl.spec.CalmSpec;
import org.calmnest.dsl.spec.Check;
import org.calmnest.dsl.spec.Defaults;
import org.calmnest.dsl.spec.NestedSpec;
import org.calmnest.dsl.spec.TokenizerSpec;
import org.calmnest.dsl.spec.TransformerSpec;
import org.calmnest.lib.data.Corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The DSL's one entry class: {@code import static org.calmnest.dsl.Calmnest.*;} (the JShell
 * startup script and the notebook kernel do it for you) and type:
 * <pre>{@code
 * var en = europarl("en");
 * var ae = calm().autoencoder().train(en, minutes(1));
 * var lm = calm().autoencoder(ae).layers(2).train(en, minutes(2));
 * lm.brierLM();
 * lm.generate("The Commission", temperature(0.5));
 * }</pre>
 * Every spec is immutable (each call returns a new value), checks its arguments at once and
 * says how to fix a bad one. Defaults train in under a minute on a laptop CPU.
 */
public final class Calmnest {

    private Calmnest() {
    }

    // ---------------------------------------------------------------- models

    /**
     * A CALM language model (continuous autoregressive: K tokens per vector). Two stages:
     * {@code var ae = calm().autoencoder().train(corpus, minutes(1))}, then
     * {@code calm().autoencoder(ae).train(corpus, minutes(2))}. Defaults: K = 4, l = 32, d = 64,
     * 2 layers, N = 4 energy samples, 16-chunk context; each stage trains in under a minute on a CPU.
     */
    public static CalmSpec calm() {
        return CalmSpec.tiny();
    }

    /**
     * The discrete next-token Transformer baseline (same backbone as CALM). Defaults: d = 64,
     * 2 layers, 4 heads, blocks of 64 tokens, bytes; trains in under a minute on a CPU.
     */
    public static TransformerSpec transformer() {
        return TransformerSpec.tiny();
    }

    /**
     * A nested-learning model for continual learning: CMS levels updated at their own periods
     * (default {@code levels(1, 8, 64)}), attention or a self-modifying memory; trained on a task
     * sequence with {@code .train(tasks(a, b), stepsPerTask(n))}.
     */
    public static NestedSpec nested() {
        return NestedSpec.tiny();
    }

    /** HOPE's self-modifying memory as the mixer of a {@code nested()} model. */
    public static Memory selfModifying() {
        return Memory.SELF_MODIFYING;
    }

    /** Softmax attention as the mixer of a {@code nested()} model (Hope-Attention with CMS levels). */
    public static Memory attention() {
        return Memory.ATTENTION;
    }

    // ---------------------------------------------------------------- corpora

    /**
     * The documents of one language of the Europarl sample shipped in the Lucene test framework
     * ({@code "en"}, {@code "de"}, {@code "fr"}...; {@code "all"} for every language). Parsed once
     * per JVM.
     */
    public static Corpus europarl(String language) {
        return Corpus.europarl(language);
    }

    /** Language code -> number of Europarl documents. */
    public static java.util.Map<String, Integer> europarlLanguages() {
        return Corpus.europarlLanguages();
    }

    /**
     * A corpus from a UTF-8 text file (documents are its paragraphs) or from every file of a folder
     * (one document per file).
     */
    public static Corpus text(String path) {
        Check.notNull("text(..)", "path", path, "pass the path of a UTF-8 text file or a folder of them");
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("text(..): path = \"" + path.replace("\u0000", "\\0") + "\" is not a valid path ("
                    + e.getReason() + "); pass the path of a UTF-8 text file or a folder of them", e);
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("text(\"" + path + "\"): path = " + p.toAbsolutePath()
                    + " does not exist; pass an existing UTF-8 text file or folder (relative paths start at "
                    + Path.of("").toAbsolutePath() + ")");
        }
        return Files.isDirectory(p) ? Corpus.ofDirectory(p) : Corpus.ofFile(p);
    }

    /** A corpus of the given texts, one document each (at least three). */
    public static Corpus texts(String... documents) {
        Check.notNull("texts(..)", "documents", documents, "pass at least three strings");
        return Corpus.ofTexts("texts", Arrays.asList(documents));
    }

    /** A named corpus of the given texts, one document each (at least three). */
    public static Corpus texts(String name, List<String> documents) {
        return Corpus.ofTexts(name, documents);
    }

    /** A sequence of tasks for continual learning, e.g. {@code tasks(europarl("en"), europarl("de"))}. */
    public static Tasks tasks(Corpus... corpora) {
        Check.notNull("tasks(..)", "corpora", corpora, "pass at least two corpora");
        return new Tasks(Arrays.asList(corpora));
    }

    // ---------------------------------------------------------------- tokenizers

    /** Byte-level tokenizer: 256 byte ids + PAD, EOS, MASK, BOS. */
    public static TokenizerSpec bytes() {
        return TokenizerSpec.bytes();
    }

    /** A byte-level BPE trained on the training corpus to {@code vocab} ids (at least 260). */
    public static TokenizerSpec bpe(int vocab) {
        return TokenizerSpec.bpe(vocab);
    }

    // ---------------------------------------------------------------- budgets

    /** Train for {@code n} optimiser steps. */
    public static Budget steps(long n) {
        Check.that(n >= 1, "steps(" + n + ")", "steps", n, "use steps(n) with n >= 1");
        return new Budget(n, 0, 0, 0);
    }

    /** Train for {@code m} minutes of wall-clock time. */
    public static Budget minutes(double m) {
        Check.that(Double.isFinite(m) && m > 0, "minutes(" + m + ")", "minutes", m, "use minutes(m) with m > 0, e.g. minutes(0.5)");
        return new Budget(0, m * 60, 0, 0);
    }

    /** Train for {@code s} seconds of wall-clock time. */
    public static Budget seconds(double s) {
        Check.that(Double.isFinite(s) && s > 0, "seconds(" + s + ")", "seconds", s, "use seconds(s) with s > 0, e.g. seconds(30)");
        return new Budget(0, s, 0, 0);
    }

    /** Train until {@code n} training tokens have been seen. */
    public static Budget tokens(long n) {
        Check.that(n >= 1, "tokens(" + n + ")", "tokens", n, "use tokens(n) with n >= 1, e.g. tokens(100_000)");
        return new Budget(0, 0, n, 0);
    }

    /** Train until {@code x} analytic training FLOPs have been spent. */
    public static Budget flops(double x) {
        Check.that(Double.isFinite(x) && x > 0, "flops(" + x + ")", "flops", x, "use flops(x) with x > 0, e.g. flops(1e13)");
        return new Budget(0, 0, 0, x);
    }

    /** The training FLOPs another model used: for comparisons at equal compute. */
    public static Budget sameFlopsAs(TrainedModel model) {
        Check.notNull("sameFlopsAs(..)", "model", model, "pass a trained model, e.g. sameFlopsAs(lm)");
        double f = model.trainingFlops();
        Check.that(f > 0, "sameFlopsAs(" + model.name() + ")", "trainingFlops", f,
                "the model has not trained yet; train it first, then compare at its FLOPs");
        return new Budget(0, 0, 0, f);
    }

    /** Steps per task of a continual run, e.g. {@code stepsPerTask(600)}. */
    public static TaskBudget stepsPerTask(long n) {
        Check.that(n >= 1, "stepsPerTask(" + n + ")", "steps", n, "use stepsPerTask(n) with n >= 1");
        return new TaskBudget(new Budget(n, 0, 0, 0), 0);
    }

    // ---------------------------------------------------------------- comparisons

    /**
     * Trained language models side by side: a table of size, training FLOPs, held-out loss and
     * BrierLM (with its parts), and {@code .plot()}, BrierLM against training FLOPs.
     */
    public static Comparison compare(TrainedLm... models) {
        Check.notNull("compare(..)", "models", models, "pass at least two trained models, e.g. compare(lm, base)");
        return new Comparison(Arrays.asList(models));
    }

    /**
     * Average forgetting per arm over seeds with 95 % bootstrap intervals, e.g.
     * {@code compareForgetting(Map.of("CMS", List.of(r1.forgetting(), r2.forgetting()), ...))}.
     */
    public static ArmComparison compareForgetting(java.util.Map<String, List<ForgettingReport>> runsByArm) {
        return new ArmComparison(runsByArm);
    }

    // ---------------------------------------------------------------- sampling, device, seed

    /** Sampling temperature in (0, 1] for {@code generate}; exact likelihood-free algorithm. */
    public static Temperature temperature(double t) {
        return Temperature.of(t);
    }

    /**
     * Sets the device of specs created from now on: "auto" (a GPU when the engine sees one), "cpu",
     * "gpu" or "gpu:N". Returns the name.
     */
    public static String device(String name) {
        Defaults.device(name);
        return Defaults.device();
    }

    /** Sets the seed of specs created from now on (initialisation, data order, sampling). */
    public static long seed(long s) {
        Defaults.seed(s);
        return s;
    }

    /**
     * True when the environment variable {@code CALMNEST_BUDGET} is {@code ci} (the test suites set
     * it): scripts and notebooks then shrink every training budget so they finish in seconds, e.g.
     * {@code var CI = ciBudget(); ... .train(en, CI ? steps(3) : minutes(3))}. False otherwise
     * (the default, "laptop").
     */
    public static boolean ciBudget() {
        return "ci".equalsIgnoreCase(System.getenv().getOrDefault("CALMNEST_BUDGET", "laptop").trim());
    }

    // ---------------------------------------------------------------- display

    /** Shows a value (chart, table, model, text) now and returns its display id. */
    public static String display(Object value) {
        return Displays.display(value);
    }

    /** Replaces the output shown under {@code id} (a notebook; a terminal ignores it). */
    public static void updateDisplay(String id, Object value) {
        Displays.updateDisplay(id, value);
    }
}
