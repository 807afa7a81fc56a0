package org.calmnest.dsl.spec;

/**
 * The CALM chunk autoencoder to train (CALM.md §1): K tokens &lt;-&gt; one latent vector of size l,
 * trained with DropToken, DropLatent and a KL term clipped from below per dimension:
 * {@code loss = K * CE + klWeight * sum_i max(kl_i, klClip)}.
 * Immutable: every method returns a new spec. Create it with {@code calm().autoencoder()}.
 *
 * @param chunk      K, tokens per chunk
 * @param latent     l, latent size
 * @param width      d, hidden width
 * @param inner      SwiGLU inner width; 0 = 2.5 * width ({@link #innerWidth()})
 * @param dropToken  fraction of input ids replaced by MASK during training
 * @param dropLatent inverted-dropout rate on z during training
 * @param klWeight   weight of the clipped KL term
 * @param klClip     free bits per dimension (0 = no clipping, the paper's ablation)
 * @param settings   tokenizer, optimiser, batch, seed, device
 */
public record AutoencoderSpec(int chunk, int latent, int width, int inner, double dropToken, double dropLatent,
                              double klWeight, double klClip, RunSettings settings) implements SpecSettings<AutoencoderSpec> {

    public AutoencoderSpec {
        String w = "calm().autoencoder()";
        Check.range(w, "chunk", chunk, 1, 64, "use .chunk(k) with 1 <= k <= 64 (4 in the paper)");
        Check.range(w, "latent", latent, 1, 4096, "use .latent(l) with 1 <= l <= 4096 (about 32 * K; 128 for K = 4 in the paper)");
        Check.range(w, "width", width, 8, 8192, "use .width(d) with 8 <= d <= 8192 (256 on a CPU, 512 in the paper)");
        Check.that(inner == 0 || inner >= 8 && inner <= 32768, w, "inner", inner,
                "use .inner(n) with 8 <= n <= 32768, or 0 for 2.5 * width (the paper's ratio)");
        Check.rangeOpen(w, "dropToken", dropToken, 0, 1, "use .dropToken(p) with 0 <= p < 1 (0.15 in the paper)");
        Check.rangeOpen(w, "dropLatent", dropLatent, 0, 1, "use .dropLatent(p) with 0 <= p < 1 (0.15 in the paper)");
        Check.that(Double.isFinite(klWeight) && klWeight >= 0, w, "klWeight", klWeight, "use .klWeight(w) with w >= 0 (0.001 in the paper)");
        Check.that(Double.isFinite(klClip) && klClip >= 0, w, "klClip", klClip, "use .klClip(c) with c >= 0 (0.5 in the paper; 0 turns clipping off)");
        Check.notNull(w, "settings", settings, "start from calm().autoencoder()");
    }

    /** A tiny autoencoder (K = 4, d = 64, l = 32) that trains to high accuracy in well under a minute. */
    public static AutoencoderSpec tiny() {
        return new AutoencoderSpec(4, 32, 64, 0, 0.15, 0.15, 1e-3, 0.5, RunSettings.defaults().withBatch(64));
    }

    /** The CPU configuration of CALM.md §6: K = 4, d = 256, inner 2.5 * d = 640, l = 64, dropout 0.10. */
    public AutoencoderSpec small() {
        return new AutoencoderSpec(4, 64, 256, 0, 0.10, 0.10, 1e-3, 0.5, settings);
    }

    /** The reference configuration: K = 4, d = 512, inner 2.5 * d = 1280, l = 128, dropout 0.15. */
    public AutoencoderSpec paper() {
        return new AutoencoderSpec(4, 128, 512, 0, 0.15, 0.15, 1e-3, 0.5, settings.withLearningRate(3e-4));
    }

    /** Tokens per chunk K (the paper's best trade-off is 4). */
    public AutoencoderSpec chunk(int k) { return new AutoencoderSpec(k, latent, width, inner, dropToken, dropLatent, klWeight, klClip, settings); }
    /** Latent size l (about 32 * K). */
    public AutoencoderSpec latent(int l) { return new AutoencoderSpec(chunk, l, width, inner, dropToken, dropLatent, klWeight, klClip, settings); }
    /** Hidden width d; the SwiGLU inner width is 2.5 * d unless set with {@code inner(n)}. */
    public AutoencoderSpec width(int d) { return new AutoencoderSpec(chunk, latent, d, inner, dropToken, dropLatent, klWeight, klClip, settings); }
    /** SwiGLU inner width (0 = 2.5 * width). */
    public AutoencoderSpec inner(int n) { return new AutoencoderSpec(chunk, latent, width, n, dropToken, dropLatent, klWeight, klClip, settings); }
    /** Fraction of input ids replaced by MASK during training (DropToken). */
    public AutoencoderSpec dropToken(double p) { return new AutoencoderSpec(chunk, latent, width, inner, p, dropLatent, klWeight, klClip, settings); }
    /** Inverted-dropout rate on the latent during training (DropLatent). */
    public AutoencoderSpec dropLatent(double p) { return new AutoencoderSpec(chunk, latent, width, inner, dropToken, p, klWeight, klClip, settings); }
    /** Weight of the clipped KL term. */
    public AutoencoderSpec klWeight(double w) { return new AutoencoderSpec(chunk, latent, width, inner, dropToken, dropLatent, w, klClip, settings); }
    /** Free bits per latent dimension (KL clipped from below). */
    public AutoencoderSpec klClip(double c) { return new AutoencoderSpec(chunk, latent, width, inner, dropToken, dropLatent, klWeight, c, settings); }
    /** Turns KL clipping off (the paper's ablation: many latent dimensions collapse). */
    public AutoencoderSpec noKlClip() { return klClip(0); }
    /** Validation every n steps (0 = only at the end). */
    public AutoencoderSpec evalEvery(long n) { return withSettings(settings.withEvalEvery(n)); }

    /** The SwiGLU inner width in use: {@code inner} when set, else 2.5 * width. */
    public int innerWidth() {
        return inner > 0 ? inner : Math.max(8, width * 5 / 2);
    }

    /**
     * Checks the fields against each other (what {@code train(..)} does first). The autoencoder's
     * fields are independent of each other (every single-field check ran in its setter), so this
     * only returns the spec; it is here so every spec can be checked the same way.
     *
     * @return this spec
     */
    public AutoencoderSpec validate() {
        return this;
    }

    /**
     * Trains the autoencoder on the corpus's training chunks within the budget (progress shown,
     * interruptible); the result reports reconstruction accuracy and collapsed dimensions.
     */
    public org.calmnest.dsl.result.TrainedAutoencoder train(org.calmnest.lib.data.Corpus corpus, org.calmnest.dsl.Budget budget) {
        return org.calmnest.dsl.result.TrainedAutoencoder.train(this, corpus, budget);
    }

    /** Trains with the default budget (300 steps or 45 seconds, whichever comes first). */
    public org.calmnest.dsl.result.TrainedAutoencoder train(org.calmnest.lib.data.Corpus corpus) {
        return train(corpus, org.calmnest.dsl.Budget.DEFAULT);
    }

    @Override
    public AutoencoderSpec withSettings(RunSettings s) {
        return new AutoencoderSpec(chunk, latent, width, inner, dropToken, dropLatent, klWeight, klClip, s);
    }

    @Override
    public String toString() {
        return "calm().autoencoder() K=" + chunk + " l=" + latent + " d=" + width + " " + settings.tokenizer()
                + (klClip == 0 ? " no-kl-clip" : "");
    }
}
