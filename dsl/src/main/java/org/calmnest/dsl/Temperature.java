package org.calmnest.dsl;

import org.calmnest.dsl.spec.Check;

/**
 * Sampling temperature for generation, {@code P_T ∝ P^(1/T)} with T in (0, 1]. CALM samples it
 * without likelihoods (CALM.md §4): {@code exact} uses the paper's rejection algorithm,
 * otherwise the batch approximation with {@code candidates} samples (T must then be 1/n).
 *
 * @param t          temperature in (0, 1]
 * @param exact      true for the exact algorithm, false for the batch approximation
 * @param candidates batch size N of the approximation (ignored when exact)
 * @param maxTokens  how many tokens to generate at most
 */
public record Temperature(double t, boolean exact, int candidates, int maxTokens) {

    public Temperature {
        Check.that(Double.isFinite(t) && t > 0 && t <= 1, "temperature(" + t + ")", "t", t,
                "use a temperature in (0, 1], e.g. temperature(0.5); 1 samples the model as trained");
        Check.range("temperature(" + t + ")", "candidates", candidates, 1, 100_000,
                "use a batch of 1 to 100000 candidates, e.g. 200 (the reference code)");
        Check.range("temperature(" + t + ")", "maxTokens", maxTokens, 1, 100_000,
                "generate between 1 and 100000 tokens, e.g. 64");
        if (!exact) {
            double n = 1 / t;
            Check.that(Math.abs(n - Math.rint(n)) < 1e-9, "temperature(" + t + ").batch(" + candidates + ")",
                    "t", t, "the batch approximation needs T = 1/n (1, 0.5, 0.333..., 0.25); use .exact() for other values");
        }
    }

    /** The exact algorithm with a default of 64 generated tokens. */
    public static Temperature of(double t) {
        return new Temperature(t, true, 200, 64);
    }

    /** Uses the batch approximation with N candidates (T must be 1/n). */
    public Temperature batch(int n) {
        return new Temperature(t, false, n, maxTokens);
    }

    /** Uses the exact rejection algorithm (any T in (0, 1]). */
    public Temperature exactSampling() {
        return new Temperature(t, true, candidates, maxTokens);
    }

    /** Generates at most {@code n} tokens. */
    public Temperature tokens(int n) {
        return new Temperature(t, exact, candidates, n);
    }

    @Override
    public String toString() {
        return "temperature(" + t + (exact ? ", exact" : ", batch " + candidates) + ", " + maxTokens + " tokens)";
    }
}
