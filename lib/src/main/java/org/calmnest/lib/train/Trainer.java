package org.calmnest.lib.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import org.calmnest.lib.runtime.TorchRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one training loop for every model.
 *
 * <p>Each optimiser step: {@code accumulation} micro-batches are forwarded and back-propagated
 * (gradients summed, each loss divided by the count), the global gradient norm is computed and
 * clipped, then every {@link ParameterGroup} either updates now (period 1) or adds the clipped
 * gradient to its period buffer and updates on the <b>sum</b> at the end of its period (the
 * Continuum Memory System's rule). The learning rate is warm-up then constant or cosine, times the
 * group's scale. Randomness of step s is seeded from (seed, s), so a run resumed from a checkpoint
 * repeats the uninterrupted run exactly.
 *
 * <p>Budgets: {@code maxSteps}, {@code maxTokens} and {@code maxFlops} are totals for the whole
 * run (a resumed or continued run counts what was done before); {@code maxSeconds} counts from the
 * current {@link #run} call. Calling {@link #run} again with a larger budget continues training.
 * The cancellation token is checked before every step: a cancelled run stops within one step with
 * the model and optimiser consistent.
 */
public final class Trainer implements AutoCloseable {

    /** Result of a run: the step and eval records, and whether it was cancelled. */
    public record Result(List<StepRecord> steps, List<EvalRecord> evals, boolean cancelled, long finalStep) {
        /** Loss of the last step, or NaN when no step ran. */
        public double lastLoss() {
            return steps.isEmpty() ? Double.NaN : steps.get(steps.size() - 1).loss();
        }
    }

    private final TrainableModel model;
    private TrainConfig config;
    private final Engine engine;
    private final NDManager stateManager;
    private final List<ParameterGroup> groups;
    private final List<GroupOptimizer> optimizers = new ArrayList<>();
    private final Map<Parameter, String> names = new IdentityHashMap<>();
    private final Map<String, NDArray> periodSums = new LinkedHashMap<>();
    private final long[] groupUpdates;
    private long step;
    private long tokens;
    private double flops;
    private long batchesConsumed;
    private BatchSource streamSource;        // the stream of the last run, kept so continuing does not replay it
    private long streamSeed;
    private Iterator<TrainBatch> stream;

    public Trainer(TrainableModel model, TrainConfig config) {
        if (model == null || config == null) {
            throw new IllegalArgumentException("Trainer needs a model and a TrainConfig (got "
                    + (model == null ? "model = null" : "config = null") + ")");
        }
        this.model = model;
        this.config = config;
        this.engine = TorchRuntime.engine();
        this.groups = List.copyOf(model.parameterGroups());
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("model " + model.name() + " has no parameter groups: "
                    + "parameterGroups() must return at least one group");
        }
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            names.put(p.getValue(), p.getKey());
        }
        Map<Parameter, String> seen = new IdentityHashMap<>();
        for (ParameterGroup g : groups) {
            for (Parameter p : g.params()) {
                if (!names.containsKey(p)) {
                    throw new IllegalArgumentException("group \"" + g.name() + "\" holds parameter " + p.getName()
                            + " that is not part of the model's block: add it to the block or leave it out of the group");
                }
                String other = seen.put(p, g.name());
                if (other != null) {
                    throw new IllegalArgumentException("parameter " + names.get(p) + " is in groups \"" + other
                            + "\" and \"" + g.name() + "\": put each parameter in exactly one group");
                }
            }
            optimizers.add(g.optimizer() != null ? g.optimizer()
                    : new AdamW(config.beta1(), config.beta2(), 1e-8, config.weightDecay()));
        }
        this.groupUpdates = new long[groups.size()];
        NDArray first = groups.get(0).params().isEmpty() ? null : groups.get(0).params().get(0).getArray();
        this.stateManager = first != null ? first.getManager().newSubManager() : NDManager.newBaseManager();
    }

    /** Replaces the configuration (for continuing with a larger budget); optimiser state is kept. */
    public void setConfig(TrainConfig newConfig) {
        this.config = newConfig;
    }

    public TrainConfig config() {
        return config;
    }

    public TrainableModel model() {
        return model;
    }

    /** Optimiser steps taken so far. */
    public long step() {
        return step;
    }

    /** Tokens seen so far. */
    public long tokens() {
        return tokens;
    }

    /** Cumulative analytic training FLOPs. */
    public double flops() {
        return flops;
    }

    /** Learning rate of the schedule at step {@code s} (1-based), before the group scale. */
    public double learningRate(long s) {
        double peak = config.learningRate();
        long warm = config.warmupSteps();
        if (warm > 0 && s <= warm) {
            return peak * s / warm;
        }
        if ("cosine".equals(config.schedule())) {
            long span = Math.max(1, config.maxSteps() - warm);
            double progress = Math.min(1.0, (double) (s - warm) / span);
            double min = peak * config.minLrRatio();
            return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
        }
        return peak;
    }

    /** Trains until a budget of the config is reached or the token is cancelled. */
    public Result run(BatchSource data, List<TrainListener> listeners, CancellationToken token) {
        List<TrainListener> ls = listeners == null ? List.of() : listeners;
        CancellationToken cancel = token == null ? new CancellationToken() : token;
        TrainConfig c = config;
        for (TrainListener l : ls) {
            l.onStart(model.name(), new TrainListener.TrainConfigView(c.maxSteps(), c.maxSeconds(), c.maxTokens(), c.maxFlops()));
        }
        Iterator<TrainBatch> it = trainingStream(data, c.seed());
        List<StepRecord> records = new ArrayList<>();
        List<EvalRecord> evals = new ArrayList<>();
        long start = System.nanoTime();
        boolean cancelled = false;
        while (!budgetReached(c, start)) {
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            StepRecord r = trainStep(it, start);
            records.add(r);
            for (TrainListener l : ls) {
                l.onStep(r);
            }
            if (c.evalEvery() > 0 && step % c.evalEvery() == 0) {
                EvalRecord e = evaluate(data);
                evals.add(e);
                ls.forEach(l -> l.onEval(e));
            }
            if (c.checkpointEvery() > 0 && step % c.checkpointEvery() == 0) {
                saveCheckpoint(c.checkpointDir().resolve("checkpoint.ckpt"));
            }
        }
        if (!cancelled && (c.evalEvery() == 0 || step % c.evalEvery() != 0) && !data.validation().isEmpty() && !records.isEmpty()) {
            EvalRecord e = evaluate(data);
            evals.add(e);
            ls.forEach(l -> l.onEval(e));
        }
        for (TrainListener l : ls) {
            l.onEnd(step, cancelled);
        }
        return new Result(List.copyOf(records), List.copyOf(evals), cancelled, step);
    }

    /**
     * The training stream positioned after the batches earlier steps consumed: the same iterator
     * when a run continues on the same data, otherwise a new one fast-forwarded (after a resume).
     */
    private Iterator<TrainBatch> trainingStream(BatchSource data, long seed) {
        if (stream == null || streamSource != data || streamSeed != seed) {
            stream = data.train(seed);
            for (long i = 0; i < batchesConsumed; i++) {
                stream.next();
            }
            streamSource = data;
            streamSeed = seed;
        }
        return stream;
    }

    private boolean budgetReached(TrainConfig c, long startNanos) {
        return step >= c.maxSteps()
                || (c.maxSeconds() > 0 && (System.nanoTime() - startNanos) / 1e9 >= c.maxSeconds())
                || (c.maxTokens() > 0 && tokens >= c.maxTokens())
                || (c.maxFlops() > 0 && flops >= c.maxFlops());
    }

    private StepRecord trainStep(Iterator<TrainBatch> it, long runStart) {
        long t0 = System.nanoTime();
        long s = step + 1;
        engine.setRandomSeed((int) (config.seed() * 1_000_003L + s));
        int accum = config.accumulation();
        double lossSum = 0;
        long stepTokens = 0;
        double stepFlops = 0;
        for (int micro = 0; micro < accum; micro++) {
            if (!it.hasNext()) {
                throw new IllegalStateException("the training data ran out at step " + s
                        + ": BatchSource.train must return an endless iterator");
            }
            TrainBatch batch = it.next();
            batchesConsumed++;
            try (NDManager sub = stateManager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                NDArray loss = model.loss(sub, batch, true);
                gc.backward(accum == 1 ? loss : loss.div(accum));
                lossSum += scalar(loss);
            }
            stepTokens += batch.tokens();
            stepFlops += model.trainingFlops(batch);
        }
        // PyTorch's grad mode is per thread and on by default in threads other than the one that
        // loaded the engine (a notebook kernel runs each cell on a fresh thread); the in-place
        // optimiser updates on leaf parameters fail while it is on.
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        double lr = learningRate(s);
        TorchRuntime.noGrad();                     // the collector restores the thread's mode, which may be on
        double gradNorm = applyUpdates(s, lr);
        step = s;
        tokens += stepTokens;
        flops += stepFlops;
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new StepRecord(s, tokens, lossSum / accum, lr, gradNorm, stepTokens / Math.max(seconds, 1e-9), flops,
                (System.nanoTime() - runStart) / 1e9);
    }

    /** Clips, accumulates period sums, updates due groups, zeroes gradients; returns the norm. */
    private double applyUpdates(long s, double lr) {
        try (NDManager scope = stateManager.newSubManager()) {
            Map<Parameter, NDArray> grads = new IdentityHashMap<>();
            NDArray sq = null;
            for (ParameterGroup g : groups) {
                for (Parameter p : g.params()) {
                    NDArray w = p.getArray();
                    if (!w.hasGradient()) {
                        continue;
                    }
                    NDArray grad = w.getGradient();
                    grad.attach(scope);                   // the handle only; the tensor stays the parameter's
                    grads.put(p, grad);
                    NDArray part = grad.square().sum();
                    sq = sq == null ? part : sq.add(part);
                }
            }
            double norm = sq == null ? 0 : Math.sqrt(scalar(sq));
            double scale = 1.0;
            if (!Double.isFinite(norm)) {
                scale = 0.0;                               // skip a step with a non-finite gradient
            } else if (config.gradClip() > 0 && norm > config.gradClip()) {
                scale = config.gradClip() / (norm + 1e-6);
            }
            for (int gi = 0; gi < groups.size(); gi++) {
                ParameterGroup g = groups.get(gi);
                boolean due = s % g.period() == 0;
                if (due && scale != 0.0) {
                    groupUpdates[gi]++;
                }
                for (Parameter p : g.params()) {
                    NDArray grad = grads.get(p);
                    if (grad == null) {
                        continue;
                    }
                    String key = names.get(p);
                    NDArray effective;
                    if (g.period() == 1) {
                        effective = scale == 1.0 ? grad : grad.mul(scale);
                    } else {
                        NDArray sum = periodSums.computeIfAbsent(key, k -> stateManager.zeros(grad.getShape(), grad.getDataType()));
                        if (scale != 0.0) {
                            scope.tempAttachAll(sum);
                            sum.addi(scale == 1.0 ? grad : grad.mul(scale));
                        }
                        effective = sum;
                    }
                    if (due && scale != 0.0) {
                        optimizers.get(gi).update(key, p.getArray(), effective, lr * g.lrScale(), groupUpdates[gi], stateManager);
                    }
                    if (due && g.period() > 1) {
                        zero(effective);
                    }
                    zero(grad);
                }
            }
            return norm;
        }
    }

    /** Runs the validation batches now (no gradient) and returns the record. */
    public EvalRecord evaluate(BatchSource data) {
        TorchRuntime.noGrad();
        List<TrainBatch> batches = data.validation();
        double lossSum = 0;
        double weight = 0;
        Map<String, Double> sums = new LinkedHashMap<>();
        for (TrainBatch b : batches) {
            try (NDManager sub = stateManager.newSubManager()) {
                double w = Math.max(1, b.tokens());
                lossSum += scalar(model.loss(sub, b, false)) * w;
                for (Map.Entry<String, Double> e : model.evalMetrics(sub, b).entrySet()) {
                    sums.merge(e.getKey(), e.getValue() * w, Double::sum);
                }
                weight += w;
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        double wFinal = weight;
        sums.forEach((k, v) -> metrics.put(k, v / wFinal));
        return new EvalRecord(step, tokens, flops, weight == 0 ? Double.NaN : lossSum / weight, metrics);
    }

    /** Writes a checkpoint atomically (model parameters + config + tokenizer + optimiser state + step). */
    public void saveCheckpoint(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("model.name", model.name());
        texts.put("model.config", model.configJson());
        texts.put("trainer.counters", step + " " + tokens + " " + flops + " " + batchesConsumed);
        StringBuilder upd = new StringBuilder();
        for (long u : groupUpdates) {
            upd.append(u).append(' ');
        }
        texts.put("trainer.groupUpdates", upd.toString().trim());
        texts.put("trainer.seed", Long.toString(config.seed()));
        if (model.tokenizer() != null) {
            texts.put("tokenizer", tokenizerText(model));
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            arrays.put("param/" + p.getKey(), p.getValue().getArray());
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            for (Map.Entry<String, NDArray> e : optimizers.get(gi).state().entrySet()) {
                arrays.put("opt/" + gi + "/" + e.getKey(), e.getValue());
            }
        }
        periodSums.forEach((k, v) -> arrays.put("period/" + k, v));
        CheckpointFile.write(file, texts, arrays);
    }

    /** Loads a checkpoint written by {@link #saveCheckpoint} into this trainer's model and optimiser. */
    public void loadCheckpoint(Path file) {
        try (NDManager tmp = stateManager.newSubManager()) {
            CheckpointFile.Contents c = CheckpointFile.read(file, tmp);
            String savedConfig = c.texts().get("model.config");
            if (!model.configJson().equals(savedConfig)) {
                throw new IllegalArgumentException("checkpoint " + file + " was written for a different model configuration ("
                        + savedConfig + "), not " + model.configJson() + ": build the model with the saved configuration");
            }
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                NDArray saved = c.arrays().get("param/" + p.getKey());
                NDArray w = p.getValue().getArray();
                if (saved == null || !saved.getShape().equals(w.getShape())) {
                    throw new IllegalArgumentException("checkpoint " + file + " lacks parameter " + p.getKey()
                            + " of shape " + w.getShape() + ": it belongs to another model");
                }
                w.set(saved.toType(w.getDataType(), false).toByteBuffer());
            }
            for (int gi = 0; gi < groups.size(); gi++) {
                String prefix = "opt/" + gi + "/";
                Map<String, NDArray> st = new HashMap<>();
                c.arrays().forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        st.put(k.substring(prefix.length()), v);
                    }
                });
                optimizers.get(gi).loadState(st, stateManager);
            }
            periodSums.values().forEach(NDArray::close);
            periodSums.clear();
            c.arrays().forEach((k, v) -> {
                if (k.startsWith("period/")) {
                    NDArray copy = v.duplicate();
                    copy.attach(stateManager);
                    periodSums.put(k.substring("period/".length()), copy);
                }
            });
            String[] counters = c.texts().get("trainer.counters").split(" ");
            step = Long.parseLong(counters[0]);
            tokens = Long.parseLong(counters[1]);
            flops = Double.parseDouble(counters[2]);
            batchesConsumed = Long.parseLong(counters[3]);
            stream = null;                                   // repositioned on the next run
            String[] upd = c.texts().getOrDefault("trainer.groupUpdates", "").split(" ");
            for (int i = 0; i < groupUpdates.length && i < upd.length && !upd[i].isEmpty(); i++) {
                groupUpdates[i] = Long.parseLong(upd[i]);
            }
        }
    }

    /**
     * Sets every element to 0 in place. Multiplying by 0 would keep NaN and infinite entries, so
     * one step with a non-finite gradient would poison every later step; fill does not.
     */
    private static void zero(NDArray a) {
        a.set(new ai.djl.ndarray.index.NDIndex("..."), 0);
    }

    /** The value of a one-element array of any floating type (float32, float64, float16...). */
    private static double scalar(NDArray a) {
        return a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? a.getDouble()
                : a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
    }

    private static String tokenizerText(TrainableModel model) {
        try {
            Path tmp = Files.createTempFile("calmnest-tokenizer", ".json");
            try {
                model.tokenizer().save(tmp);
                return Files.readString(tmp, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the tokenizer into the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Frees optimiser state and period buffers (not the model). */
    @Override
    public void close() {
        stateManager.close();
    }
}
