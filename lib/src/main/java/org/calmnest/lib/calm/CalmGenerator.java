package org.calmnest.lib.calm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.calmnest.lib.data.Tokenizer;
import org.calmnest.lib.nn.KvCache;
import org.calmnest.lib.runtime.TorchRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Text generation with a CALM model, one chunk of K tokens per backbone step (CALM.md §2, §4):
 * the prompt's chunks run through the backbone (with a KV cache over chunk positions, or a full
 * pass every step when {@code useCache} is off); at each step the energy head samples latent
 * vectors, the frozen autoencoder decodes each to K tokens (argmax), and a
 * {@link TemperatureSampler} turns these draws into a draw from {@code P^(1/T)} (exact algorithm
 * for any T in (0, 1], or the batch approximation for T = 1/n). The chosen K tokens are embedded as
 * the next input. Generation stops after an EOS (which is not returned), after
 * {@code maxNewTokens} tokens, or when the context is full.
 *
 * <p>A prompt whose length is not a multiple of K is left-padded with PAD (documents start at
 * chunk boundaries in training, so prompts of a multiple of K tokens fit the model best).
 */
public final class CalmGenerator {

    /**
     * @param maxNewTokens    stop after this many tokens (>= 1)
     * @param temperature     T in (0, 1]; the batch mode needs T = 1/n
     * @param mode            EXACT (Alg. 1) or BATCH (Alg. 2)
     * @param candidates      N, draws per step in BATCH mode (the reference uses 200)
     * @param seed            seeds the head's noise and the sampler's coins
     * @param useCache        KV cache over chunk positions (off: full recomputation, same result)
     */
    public record Options(int maxNewTokens, double temperature, TemperatureSampler.Mode mode, int candidates,
                          long seed, boolean useCache) {
        public Options {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("CalmGenerator.Options.maxNewTokens = " + maxNewTokens
                        + " is invalid: generate at least 1 token");
            }
            if (!(temperature > 0 && temperature <= 1)) {
                throw new IllegalArgumentException("CalmGenerator.Options.temperature = " + temperature
                        + " is invalid: use T in (0, 1] (1 samples the model as it is; 0.5 or lower for fluent text)");
            }
            if (mode == null) {
                throw new IllegalArgumentException("CalmGenerator.Options.mode is null: use EXACT or BATCH");
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("CalmGenerator.Options.candidates = " + candidates
                        + " is invalid: use at least 1 (the batch approximation uses about 200)");
            }
            double inv = 1 / temperature;
            if (mode == TemperatureSampler.Mode.BATCH && Math.abs(inv - Math.rint(inv)) > 1e-9 * inv) {
                throw new IllegalArgumentException("CalmGenerator.Options.temperature = " + temperature
                        + " is not 1/n: the batch approximation needs T = 1, 1/2, 1/3, ...; use Mode.EXACT for other T");
            }
        }

        /** Sampling at temperature 1 with a KV cache. */
        public static Options sample(int maxNewTokens, long seed) {
            return new Options(maxNewTokens, 1.0, TemperatureSampler.Mode.EXACT, 200, seed, true);
        }

        public Options withTemperature(double t) { return new Options(maxNewTokens, t, mode, candidates, seed, useCache); }
        public Options withMode(TemperatureSampler.Mode m) { return new Options(maxNewTokens, temperature, m, candidates, seed, useCache); }
        public Options withCandidates(int n) { return new Options(maxNewTokens, temperature, mode, n, seed, useCache); }
        public Options withSeed(long s) { return new Options(maxNewTokens, temperature, mode, candidates, s, useCache); }
        public Options withCache(boolean c) { return new Options(maxNewTokens, temperature, mode, candidates, seed, c); }
    }

    private final CalmModel model;
    private final int pad;
    private final int eos;

    /**
     * @param pad id used to left-pad prompts to a multiple of K
     * @param eos id that ends generation
     */
    public CalmGenerator(CalmModel model, int pad, int eos) {
        if (model == null) {
            throw new IllegalArgumentException("CalmGenerator: model is null");
        }
        this.model = model;
        this.pad = pad;
        this.eos = eos;
    }

    /** A generator using the tokenizer's PAD and EOS ids. */
    public CalmGenerator(CalmModel model, Tokenizer tokenizer) {
        this(model, tokenizer.pad(), tokenizer.eos());
    }

    /** Generates a continuation of {@code prompt} and returns it as text (the prompt not included). */
    public String generate(Tokenizer tokenizer, String prompt, Options options) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("CalmGenerator: the prompt is empty; pass at least one character of text");
        }
        return tokenizer.decode(generate(tokenizer.encode(prompt), options));
    }

    /** Generates up to {@code maxNewTokens} ids after {@code prompt} (EOS not included). */
    public int[] generate(int[] prompt, Options options) {
        int k = model.config().chunkSize();
        int context = model.config().backbone().context();
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("CalmGenerator: the prompt is empty; pass at least one token");
        }
        int promptChunks = (prompt.length + k - 1) / k;
        if (promptChunks > context) {
            throw new IllegalArgumentException("CalmGenerator: the prompt is " + prompt.length + " tokens = " + promptChunks
                    + " chunks of K = " + k + ", longer than the context of " + context + " chunks; use at most "
                    + (long) context * k + " tokens");
        }
        long[] chunks = new long[promptChunks * k];
        Arrays.fill(chunks, pad);
        for (int i = 0; i < prompt.length; i++) {
            chunks[chunks.length - prompt.length + i] = prompt[i];
        }
        TorchRuntime.seed(options.seed());
        Random coins = new Random(options.seed());
        List<Integer> out = new ArrayList<>();
        List<long[]> fed = new ArrayList<>();
        for (int c = 0; c < promptChunks; c++) {
            fed.add(Arrays.copyOfRange(chunks, c * k, (c + 1) * k));
        }
        try (NDManager m = model.manager().newSubManager();
             KvCache cache = options.useCache() ? model.newCache(m) : null) {
            NDArray h = lastHidden(m, fed, fed.size(), cache); // (1, d)
            while (true) {
                int[] chunk = chooseChunk(h, options, coins);
                for (int id : chunk) {
                    if (id == eos) {
                        return toArray(out);
                    }
                    out.add(id);
                    if (out.size() == options.maxNewTokens()) {
                        return toArray(out);
                    }
                }
                if (fed.size() == context) {
                    return toArray(out); // the context is full
                }
                long[] next = new long[k];
                for (int i = 0; i < k; i++) {
                    next[i] = chunk[i];
                }
                fed.add(next);
                NDArray previous = h;
                h = lastHidden(m, fed, 1, cache);
                previous.close();
            }
        }
    }

    /** Hidden state of the last fed chunk, (1, d), attached to {@code m}; feeds the last {@code fresh} chunks. */
    private NDArray lastHidden(NDManager m, List<long[]> fed, int fresh, KvCache cache) {
        int k = model.config().chunkSize();
        try (NDManager step = m.newSubManager()) {
            NDArray h;
            if (cache != null) {
                h = model.hidden(step.create(flatten(fed.subList(fed.size() - fresh, fed.size())), new Shape(1, fresh, k)), cache);
            } else {
                h = model.hidden(step.create(flatten(fed), new Shape(1, fed.size(), k)));
            }
            NDArray last = h.get("0, -1:").reshape(1, model.config().backbone().d()); // (1, d)
            last.attach(m);
            return last;
        }
    }

    /** One draw from P^(1/T) over K-token chunks, P being head sample + argmax decode. */
    private int[] chooseChunk(NDArray h, Options o, Random coins) {
        DiscreteSampler<DiscreteSampler.IntTuple> sampler = n -> drawChunks(h, n);
        if (o.temperature() == 1.0 && o.mode() == TemperatureSampler.Mode.EXACT) {
            return sampler.draw(1).get(0).ids(); // T = 1: the model's own distribution
        }
        return TemperatureSampler.of(o.mode(), o.temperature(), o.candidates(), sampler, coins).sample().ids();
    }

    /** n independent chunks from one batched head pass and one batched decode. */
    private List<DiscreteSampler.IntTuple> drawChunks(NDArray h, int n) {
        int k = model.config().chunkSize();
        try (NDManager step = h.getManager().newSubManager()) {
            NDArray hs = h.duplicate();
            hs.attach(step);
            NDArray z = model.sampleHead(hs, n).reshape(n, model.config().latentDim()); // (n, l)
            long[] ids = model.codec().decode(z).toType(DataType.INT64, false).toLongArray(); // (n, K)
            List<DiscreteSampler.IntTuple> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int[] t = new int[k];
                for (int j = 0; j < k; j++) {
                    t[j] = (int) ids[i * k + j];
                }
                out.add(new DiscreteSampler.IntTuple(t));
            }
            return out;
        }
    }

    /**
     * Where one generation step goes, in milliseconds per chunk (medians over {@code steps} cached
     * steps after as many warm-up steps): the backbone step (chunk embedding, compression, every
     * block with the KV cache), one energy-head sample, and the autoencoder's argmax decode. Each
     * part ends with a host read, so the times do not overlap. Benchmarks use it to explain the
     * CALM / Transformer generation ratio.
     */
    public record StepProfile(double backboneMs, double headMs, double decodeMs) {
        public double totalMs() {
            return backboneMs + headMs + decodeMs;
        }
    }

    /** Profiles {@code steps} generation steps on a fixed chunk of ids (see {@link StepProfile}). */
    public StepProfile profile(int steps) {
        if (steps < 1 || 2 * steps > model.config().backbone().context()) {
            throw new IllegalArgumentException("CalmGenerator.profile: steps = " + steps
                    + " is invalid; use 1 .. " + model.config().backbone().context() / 2 + " (half the context)");
        }
        int k = model.config().chunkSize();
        int d = model.config().backbone().d();
        long[] chunk = new long[k];
        int vocab = model.codec().vocabSize();
        for (int i = 0; i < k; i++) {
            chunk[i] = (pad + 1 + i) % vocab; // any ids but PAD
        }
        double[][] t = new double[3][steps];
        try (NDManager m = model.manager().newSubManager(); KvCache cache = model.newCache(m)) {
            for (int s = -steps; s < steps; s++) {
                try (NDManager step = m.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray h = model.hidden(step.create(chunk, new Shape(1, 1, k)), cache).reshape(1, d); // (1, d)
                    h.toFloatArray();
                    long t1 = System.nanoTime();
                    NDArray z = model.sampleHead(h, 1).reshape(1, model.config().latentDim()); // (1, l)
                    z.toFloatArray();
                    long t2 = System.nanoTime();
                    model.codec().decode(z).toType(DataType.INT64, false).toLongArray(); // (1, K)
                    long t3 = System.nanoTime();
                    if (s >= 0) {
                        t[0][s] = (t1 - t0) / 1e6;
                        t[1][s] = (t2 - t1) / 1e6;
                        t[2][s] = (t3 - t2) / 1e6;
                    }
                }
            }
        }
        return new StepProfile(median(t[0]), median(t[1]), median(t[2]));
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static long[] flatten(List<long[]> chunks) {
        int k = chunks.get(0).length;
        long[] a = new long[chunks.size() * k];
        for (int i = 0; i < chunks.size(); i++) {
            System.arraycopy(chunks.get(i), 0, a, i * k, k);
        }
        return a;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
