package org.calmnest.lib.baseline;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.eval.TokenLogLikelihood;
import org.calmnest.lib.flops.Flops;
import org.calmnest.lib.nn.BackboneConfig;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.runtime.TorchRuntime;
import org.calmnest.lib.train.ParameterGroup;
import org.calmnest.lib.train.TrainBatch;
import org.calmnest.lib.train.TrainableModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The discrete next-token Transformer baseline ("transformer()"): the shared backbone with a
 * softmax head trained by cross-entropy, {@code loss = -mean_t ln p(y_{t+1} | y_{<=t})} over
 * non-padding targets. A batch row of T ids gives T - 1 predictions (inputs ids[0..T-2],
 * targets ids[1..T-1]). Owns its parameters in its own manager: close it when done.
 */
public final class TokenLm implements TrainableModel, TokenLogLikelihood, AutoCloseable {

    private static final Gson GSON = new Gson();

    private final TokenLmConfig config;
    private final NDManager manager;
    private final TokenLmNet net;
    private final ParameterStore ps;
    private Tokenizer tokenizer;

    private TokenLm(TokenLmConfig config, Device device, long seed) {
        this.config = config;
        this.manager = TorchRuntime.engine().newBaseManager(device);
        TorchRuntime.seed(seed);
        this.net = new TokenLmNet(config);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        this.ps = new ParameterStore(manager, false);
    }

    /** A freshly initialised model on the default device (GPU when present), seeded. */
    public static TokenLm create(TokenLmConfig config, long seed) {
        return new TokenLm(config, TorchRuntime.device("auto"), seed);
    }

    public static TokenLm create(TokenLmConfig config, long seed, Device device) {
        return new TokenLm(config, device, seed);
    }

    /** A model for the tokenizer's ids that remembers the tokenizer (saved with it, used by text generation). */
    public static TokenLm create(Tokenizer tokenizer, BackboneConfig backbone, long seed) {
        TokenLm lm = create(TokenLmConfig.of(tokenizer, backbone), seed);
        lm.tokenizer = tokenizer;
        return lm;
    }

    /** The tokenizer given at creation or loaded with the model, or null. */
    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Generates from a text prompt with the model's own tokenizer. */
    public String generateText(String prompt, int maxNewTokens, double temperature, long seed) {
        if (tokenizer == null) {
            throw new IllegalArgumentException("TokenLm.generateText: this model has no tokenizer; create it with "
                    + "TokenLm.create(tokenizer, backbone, seed) or pass the tokenizer explicitly");
        }
        return generateText(tokenizer, prompt, maxNewTokens, temperature, seed);
    }

    public TokenLmConfig config() {
        return config;
    }

    @Override
    public String name() {
        BackboneConfig b = config.backbone();
        return "transformer d=" + b.d() + " L=" + b.layers() + " V=" + config.vocabSize();
    }

    @Override
    public Block block() {
        return net;
    }

    @Override
    public List<ParameterGroup> parameterGroups() {
        return List.of(ParameterGroup.every("all", net.getParameters().values()));
    }

    /** Number of trainable weights. */
    public long parameterCount() {
        return net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    @Override
    public NDArray loss(NDManager m, TrainBatch batch, boolean training) {
        Shifted s = shift(m, batch);
        NDArray logp = net.logits(ps, s.inputs, training).logSoftmax(2); // (B, T-1, V)
        NDArray picked = logp.gather(s.targets.expandDims(2), 2).squeeze(2); // (B, T-1)
        return picked.mul(s.mask).sum().neg().div(Math.max(1, s.count)); // scalar
    }

    @Override
    public double trainingFlops(TrainBatch batch) {
        return Flops.training(batch.rows() * forwardFlops(batch.cols() - 1));
    }

    /** Forward FLOPs of one full pass over a sequence of {@code positions} tokens (backbone + head). */
    public double forwardFlops(int positions) {
        return Flops.backboneForward(config.backbone(), positions) + positions * Flops.linear(config.backbone().d(), config.vocabSize());
    }

    /**
     * Mean forward FLOPs per generated token with a KV cache, generating {@code newTokens} after a
     * prompt of {@code promptLength} (prompt processing excluded): backbone decode step + head.
     */
    public double inferenceFlopsPerToken(int promptLength, int newTokens) {
        return Flops.meanBackboneDecodeStep(config.backbone(), promptLength, promptLength + newTokens - 1)
                + Flops.linear(config.backbone().d(), config.vocabSize());
    }

    /** Held-out "accuracy" (argmax = target) and "bitsPerByte" of one batch. */
    @Override
    public Map<String, Double> evalMetrics(NDManager m, TrainBatch batch) {
        Shifted s = shift(m, batch);
        NDArray logits = net.logits(ps, s.inputs, false); // (B, T-1, V)
        NDArray hit = logits.argMax(2).eq(s.targets).toType(DataType.FLOAT32, false).mul(s.mask);
        double acc = hit.sum().getFloat() / Math.max(1, s.count);
        Nll nll = nll(m, s, logits, batch);
        double bytes = batch.bytes() > 0 && batch.tokens() > 0 ? (double) batch.bytes() * nll.predicted() / batch.tokens() : 0;
        return bytes > 0 ? Map.of("accuracy", acc, "bitsPerByte", nll.nats() / Math.log(2) / bytes) : Map.of("accuracy", acc);
    }

    @Override
    public Nll nll(TrainBatch batch) {
        TorchRuntime.noGrad();
        try (NDManager m = manager.newSubManager()) {
            Shifted s = shift(m, batch);
            return nll(m, s, net.logits(ps, s.inputs, false), batch);
        }
    }

    private Nll nll(NDManager m, Shifted s, NDArray logits, TrainBatch batch) {
        NDArray picked = logits.logSoftmax(2).gather(s.targets.expandDims(2), 2).squeeze(2); // (B, T-1)
        return new Nll(-picked.mul(s.mask).sum().getFloat(), s.count, batch.tokens(), batch.bytes());
    }

    private record Shifted(NDArray inputs, NDArray targets, NDArray mask, long count) {
    }

    private Shifted shift(NDManager m, TrainBatch batch) {
        int t = batch.cols() - 1;
        if (t < 1) {
            throw new IllegalArgumentException("TokenLm: batch cols = " + batch.cols() + "; a row needs at least 2 ids (T - 1 predictions)");
        }
        if (t > config.backbone().context()) {
            throw new IllegalArgumentException("TokenLm: batch cols = " + batch.cols() + " needs context >= " + t + " but the backbone has "
                    + config.backbone().context() + "; use blocks of at most context + 1 ids or a larger context");
        }
        int[] ids = batch.ids();
        for (int id : ids) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("TokenLm: id " + id + " is outside the vocabulary [0, " + config.vocabSize()
                        + "); build the model with the tokenizer that made the data");
            }
        }
        NDArray all = m.create(ids, new Shape(batch.rows(), batch.cols())).toType(DataType.INT64, false); // (B, T+1)
        NDArray inputs = all.get(new NDIndex(":, 0:" + t)); // (B, T)
        NDArray targets = all.get(new NDIndex(":, 1:")); // (B, T)
        NDArray mask = config.pad() < 0 ? m.ones(targets.getShape())
                : targets.neq(config.pad()).toType(DataType.FLOAT32, false); // (B, T)
        long count = 0;
        for (int r = 0; r < batch.rows(); r++) {
            for (int c = 1; c < batch.cols(); c++) {
                count += ids[r * batch.cols() + c] != config.pad() ? 1 : 0;
            }
        }
        return new Shifted(inputs, targets, mask, count);
    }

    // ---------------------------------------------------------------- generation

    /** Generates from a text prompt and returns the continuation's text. */
    public String generateText(Tokenizer tokenizer, String prompt, int maxNewTokens, double temperature, long seed) {
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException("TokenLm: tokenizer " + tokenizer.name() + " has " + tokenizer.vocabSize()
                    + " ids but the model " + config.vocabSize() + "; use the tokenizer the model was trained with");
        }
        return tokenizer.decode(generate(tokenizer.encode(prompt), maxNewTokens, temperature, seed));
    }

    /** {@link #generate(int[], int, double, long, boolean)} with the KV cache. */
    public int[] generate(int[] prompt, int maxNewTokens, double temperature, long seed) {
        return generate(prompt, maxNewTokens, temperature, seed, true);
    }

    /**
     * Samples up to {@code maxNewTokens} ids after the prompt, stopping after EOS. Temperature 0 is
     * greedy (argmax); otherwise ids are drawn from softmax(logits / T) with a java.util.Random
     * seeded by {@code seed}, so cached and uncached runs draw the same stream.
     *
     * @param useCache true: one cached decoding step per token; false: a full pass over the whole
     *                 sequence per token (the reference the cache is tested against)
     * @return the new ids (EOS included when reached); switches autograd off on the calling thread
     */
    public int[] generate(int[] prompt, int maxNewTokens, double temperature, long seed, boolean useCache) {
        checkGeneration(prompt, maxNewTokens, temperature);
        TorchRuntime.noGrad(); // inference: no autograd graph, also on fresh (JShell, kernel) threads
        Random rng = new Random(seed);
        List<Integer> out = new ArrayList<>();
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + maxNewTokens);
        int len = prompt.length;
        try (NDManager gm = manager.newSubManager(); KvCache cache = useCache ? net.backbone().newCache(gm) : null) {
            int fed = 0; // positions already in the cache
            for (int i = 0; i < maxNewTokens; i++) {
                float[] last;
                try (NDManager step = gm.newSubManager()) {
                    NDArray logits;
                    if (useCache) {
                        NDArray ids = step.create(java.util.Arrays.copyOfRange(seq, fed, len), new Shape(1, len - fed));
                        logits = net.logits(ps, ids, cache); // (1, new, V)
                        fed = len;
                    } else {
                        NDArray ids = step.create(java.util.Arrays.copyOf(seq, len), new Shape(1, len));
                        logits = net.logits(ps, ids, false); // (1, len, V)
                    }
                    long tl = logits.getShape().get(1);
                    last = logits.get(new NDIndex("0, " + (tl - 1) + ", :")).toType(DataType.FLOAT32, false).toFloatArray(); // (V)
                }
                int next = choose(last, temperature, rng);
                seq[len++] = next;
                out.add(next);
                if (next == config.eos()) {
                    break;
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void checkGeneration(int[] prompt, int maxNewTokens, double temperature) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("TokenLm.generate: the prompt is empty; pass at least one id (e.g. the tokenizer's BOS)");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("TokenLm.generate: maxNewTokens = " + maxNewTokens + ", use at least 1");
        }
        int ctx = config.backbone().context();
        if (prompt.length + maxNewTokens - 1 > ctx) {
            throw new IllegalArgumentException("TokenLm.generate: prompt length " + prompt.length + " + maxNewTokens " + maxNewTokens
                    + " - 1 exceeds the context " + ctx + "; shorten the prompt or ask for at most "
                    + Math.max(0, ctx - prompt.length + 1) + " new tokens");
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("TokenLm.generate: temperature = " + temperature + ", use 0 (greedy) or a finite value > 0");
        }
        for (int id : prompt) {
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("TokenLm.generate: prompt id " + id + " is outside [0, " + config.vocabSize() + ")");
            }
        }
    }

    /** Greedy at T = 0, else a draw from softmax(logits / T) computed in double precision. */
    static int choose(float[] logits, double temperature, Random rng) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        if (temperature == 0) {
            return best;
        }
        double[] w = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            w[i] = Math.exp((logits[i] - logits[best]) / temperature);
            total += w[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u < 0) {
                return i;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- package access for scorers

    NDManager manager() {
        return manager;
    }

    ParameterStore parameterStore() {
        return ps;
    }

    TokenLmNet net() {
        return net;
    }

    // ---------------------------------------------------------------- persistence

    @Override
    public String configJson() {
        return GSON.toJson(config);
    }

    /** Writes config, tokenizer (if any) and weights to one file atomically (temporary file, then rename). */
    public void save(Path file) {
        TokenLmFile.save(this, file);
    }

    /** Loads a model written by {@link #save(Path)} onto the default device. */
    public static TokenLm load(Path file) {
        return TokenLmFile.load(file);
    }

    /** Sets the tokenizer after loading (package use). */
    void setTokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public void close() {
        manager.close();
    }
}
