package org.calmnest.lib.train;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.CalmConfig;
import org.calmnest.lib.flops.Flops;
import org.calmnest.lib.nested.HopeConfig;
import org.calmnest.lib.nested.NestedLmConfig;
import org.calmnest.lib.nn.BackboneConfig;

import java.util.Locale;

/**
 * Memory pre-flight: what one training step of a model needs, estimated from its configuration
 * before anything is allocated, and checked against the memory the tensors would live in (physical
 * RAM for the CPU, the GPU's memory for a GPU; the Java heap does not hold tensors).
 *
 * <pre>
 *   bytes = 4 * (4 * P_train + P_frozen + 1.25 * A)
 * </pre>
 * with P_train trainable parameters (float32 weight, gradient and AdamW's two moments: 16 bytes
 * each), P_frozen frozen parameters (weights only) and A the activation values of one step's
 * forward pass, which stay alive for the backward pass, plus a quarter for the gradients the
 * backward pass holds at a time. Parameter counts are exact (they equal the built
 * models' counts, tested); activations are a deliberate over-estimate per layer:
 * {@code B T (10 d + 4 f) + 2 B H T^2} for attention layers (residuals, norms, q/k/v, SwiGLU
 * gate/up/product, scores and softmax) plus {@code 3 B T V} for the logits and their softmax.
 *
 * @param model             what is estimated, for messages (e.g. "transformer() d=64 L=2")
 * @param trainable         parameters with gradients and optimiser state
 * @param frozen            parameters kept in memory without training (CALM's autoencoder)
 * @param activationValues  float values alive during one training step's forward pass
 */
public record MemoryEstimate(String model, long trainable, long frozen, double activationValues) {

    /** float32. */
    public static final int BYTES_PER_VALUE = 4;
    /** Weight + gradient + AdamW first and second moment. */
    public static final int TRAINED_COPIES = 4;

    public MemoryEstimate {
        if (trainable < 0 || frozen < 0 || !(activationValues >= 0)) {
            throw new IllegalArgumentException("MemoryEstimate: trainable = " + trainable + ", frozen = " + frozen
                    + ", activationValues = " + activationValues + " must all be >= 0");
        }
    }

    /** Bytes of parameters, gradients and optimiser state. */
    public double parameterBytes() {
        return (double) BYTES_PER_VALUE * (TRAINED_COPIES * (double) trainable + frozen);
    }

    /** Bytes of activations (forward values kept for the backward pass, and transient gradients). */
    public double activationBytes() {
        return 1.25 * BYTES_PER_VALUE * activationValues;
    }

    /** Total bytes of one training step. */
    public double bytes() {
        return parameterBytes() + activationBytes();
    }

    // ---- parameter counts (exact) ----

    /** Parameters of the discrete Transformer LM: embedding V d, backbone, untied head d V. */
    public static long tokenLmParameters(TokenLmConfig c) {
        long d = c.backbone().d();
        return 2L * c.vocabSize() * d + Flops.backboneParameters(c.backbone());
    }

    /** Parameters of the chunk autoencoder with a vocabulary of {@code vocab} (tied embedding). */
    public static long autoencoderParameters(AutoencoderConfig c, int vocab) {
        long d = c.dim();
        long f = c.inner();
        long k = c.chunkSize();
        long l = c.latentDim();
        long aeLayer = d + 3 * d * f;                    // RMSNorm + SwiGLU (gate, up, down)
        return vocab * d + 4L * c.layersPerStage() * aeLayer
                + (k * d * d + d) + d + (d * 2 * l + 2 * l)   // merge, encoder norm, to latent
                + (l * d + d) + (d * k * d + k * d) + d;      // from latent, expand, decoder norm
    }

    /** Parameters of CALM's language model (without the frozen autoencoder). */
    public static long calmParameters(CalmConfig c) {
        long d = c.backbone().d();
        long k = c.chunkSize();
        long compress = (k * d * 2 * d + 2 * d) + (2 * d * d + d) + 2 * d; // K d -> 2d -> d, LayerNorm
        return c.vocabSize() * d + compress + Flops.backboneParameters(c.backbone())
                + energyHeadParameters(d, c.latentDim(), c.headBlocks(), c.noiseDim());
    }

    /** Parameters of the energy head: input maps, B residual blocks, output map (LayerNorms: 2h). */
    static long energyHeadParameters(long h, long latent, long blocks, long noise) {
        long in = (noise * h + h) + 2 * h + (h * h + h) + 2 * h;
        long block = 2 * h + (2 * h * h + h) + (h * h + h) + (h * 2 * h + 2 * h) + (h * h + h);
        long out = 2 * h + (h * h + h) + (h * latent + latent);
        return in + blocks * block + out;
    }

    /** Parameters of the Nested Learning LM (attention or HOPE mixer, SwiGLU or CMS feed-forward). */
    public static long nestedParameters(NestedLmConfig c) {
        BackboneConfig b = c.backbone();
        long d = b.d();
        long ff = c.cms() == null ? 3 * d * b.ffInner() : (long) c.cms().levels() * (d + 3 * d * c.cms().inner());
        long perLayer;
        if (c.mixer() == NestedLmConfig.Mixer.ATTENTION) {
            perLayer = 4 * d * d + 2 * d + ff;
        } else {
            HopeConfig h = c.hope();
            long memory = 2 * d * d + (long) h.convWidth() * d + 10 * d * h.hidden() + 2 * d + 2L * h.heads();
            perLayer = 2 * d + memory + ff;
        }
        return 2L * c.vocabSize() * d + b.layers() * perLayer + d;
    }

    // ---- estimates of one training step ----

    /** The discrete Transformer trained on {@code rows} blocks of {@code context} tokens. */
    public static MemoryEstimate tokenLm(String model, TokenLmConfig c, int rows) {
        BackboneConfig b = c.backbone();
        return new MemoryEstimate(model, tokenLmParameters(c), 0,
                attentionActivations(b, rows, b.context()) + 3.0 * rows * b.context() * c.vocabSize());
    }

    /** The autoencoder trained on batches of {@code chunks} chunks. */
    public static MemoryEstimate autoencoder(String model, AutoencoderConfig c, int vocab, int chunks) {
        double tokens = (double) chunks * c.chunkSize();
        double perLayer = tokens * (6.0 * c.dim() + 4.0 * c.inner());
        return new MemoryEstimate(model, autoencoderParameters(c, vocab), 0,
                4.0 * c.layersPerStage() * perLayer + 3.0 * tokens * vocab);
    }

    /**
     * CALM's language model trained on {@code rows} blocks of {@code context} chunk positions,
     * with a frozen autoencoder of {@code autoencoderParameters}.
     */
    public static MemoryEstimate calm(String model, CalmConfig c, int rows, long autoencoderParameters) {
        BackboneConfig b = c.backbone();
        double positions = (double) rows * b.context();
        double head = positions * c.samples() * (double) b.d() * (8.0 * c.headBlocks() + 6);
        double targets = positions * c.targetSamples() * c.latentDim() * 2.0;
        double tokens = positions * c.chunkSize() * (b.d() + 2.0 * c.vocabSize());
        return new MemoryEstimate(model, calmParameters(c), autoencoderParameters,
                attentionActivations(b, rows, b.context()) + head + targets + tokens);
    }

    /** The Nested Learning LM trained on {@code rows} blocks of {@code context} tokens. */
    public static MemoryEstimate nested(String model, NestedLmConfig c, int rows) {
        BackboneConfig b = c.backbone();
        double acts = attentionActivations(b, rows, b.context());
        if (c.mixer() == NestedLmConfig.Mixer.HOPE) { // per-position fast weights of each head's memories
            acts += (double) b.layers() * rows * b.context() * 10.0 * b.d() * c.hope().hidden() / Math.max(1, c.hope().chunk());
        }
        return new MemoryEstimate(model, nestedParameters(c), 0, acts + 3.0 * rows * b.context() * c.vocabSize());
    }

    private static double attentionActivations(BackboneConfig b, double rows, double t) {
        double perLayer = rows * t * (10.0 * b.d() + 4.0 * b.ffInner()) + 2.0 * rows * b.heads() * t * t;
        return b.layers() * perLayer;
    }

    // ---- the check ----

    /**
     * Fails, before anything is allocated, when this step would not fit into the memory of
     * {@code device}; returns this estimate otherwise (or when the memory cannot be read).
     *
     * @throws IllegalArgumentException naming the estimate, the memory available and the fix
     */
    public MemoryEstimate requireFits(Device device) {
        AvailableMemory.Reading avail = AvailableMemory.of(device);
        if (avail != null && bytes() > avail.bytes()) {
            boolean paramsDominate = parameterBytes() >= activationBytes();
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s does not fit: one training step needs about %s (%s parameters: %s with gradients and AdamW state%s;"
                            + " activations: %s), but %s has %s available (%s). Fix: %s",
                    model, human(bytes()), count(trainable), human(TRAINED_COPIES * (double) BYTES_PER_VALUE * trainable),
                    frozen > 0 ? ", " + count(frozen) + " frozen: " + human((double) BYTES_PER_VALUE * frozen) : "",
                    human(activationBytes()), avail.where(), human(avail.bytes()), avail.source(),
                    paramsDominate
                            ? "use a smaller .width(..) or fewer .layers(..) (parameters grow as layers x width^2)"
                            : "use a smaller .batch(..) or .context(..) (activations grow as batch x context, attention as"
                            + " batch x context^2), or a smaller width"));
        }
        return this;
    }

    static String human(double bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f bytes", v) : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f G", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        return String.format(Locale.ROOT, "%,d", n);
    }
}
