package org.calmnest.lib.bench;

import ai.djl.Device;
import org.calmnest.lib.baseline.TokenLm;
import org.calmnest.lib.baseline.TokenLmConfig;
import org.calmnest.lib.calm.AutoencoderConfig;
import org.calmnest.lib.calm.ChunkAutoencoder;
import org.calmnest.lib.data.ByteTokenizer;
import org.calmnest.lib.nested.CmsConfig;
import org.calmnest.lib.nested.HopeConfig;
import org.calmnest.lib.nested.NestedLm;
import org.calmnest.lib.nested.NestedLmConfig;
import org.calmnest.lib.nn.BackboneConfig;

/**
 * The shapes every benchmark shares, so figures of different models are comparable: a backbone
 * of width d with 4 layers, heads of width 64, SwiGLU inner width about 8/3 d (a multiple of 16;
 * 688 at d = 256 as in {@link BackboneConfig#small()}), context 128; byte tokens; batches of 8 rows.
 */
public final class BenchModels {

    /** Rows per training batch. */
    public static final int BATCH = 8;
    /** Positions per row the backbone attends over. */
    public static final int SEQ = 128;
    /** Backbone layers. */
    public static final int LAYERS = 4;
    /** Seed of every model and batch. */
    public static final long SEED = 42;

    private BenchModels() {
    }

    /** The backbone of width d (see the class comment). */
    public static BackboneConfig backbone(int d) {
        int ff = (int) Math.round(d * 8.0 / 3.0 / 16.0) * 16;
        return new BackboneConfig(d, LAYERS, Math.max(1, d / 64), ff, SEQ, 10000);
    }

    /** The discrete Transformer baseline over bytes at width d; no padding and no EOS (generation never stops early). */
    public static TokenLm transformer(int d, Device device) {
        TokenLmConfig c = new TokenLmConfig(ByteTokenizer.VOCAB_SIZE, -1, -1, backbone(d));
        return TokenLm.create(c, SEED, device);
    }

    /**
     * The chunk autoencoder at width d: K tokens per chunk, SwiGLU inner 2.5 d, latent l = 32 K
     * (the paper's scaling), one layer per stage, the paper's dropouts and KL settings.
     */
    public static ChunkAutoencoder autoencoder(int d, int k, Device device) {
        AutoencoderConfig c = new AutoencoderConfig(k, d, d * 5 / 2, 32 * k, 1, 0.15, 0.15, 1e-3, 0.5, 0.02);
        return ChunkAutoencoder.create(c, ByteTokenizer.create(), SEED, device);
    }

    /** Autoencoder batches: BATCH * SEQ / K chunks of K byte ids (the same tokens per step as the baseline). */
    public static SyntheticBatches autoencoderBatches(int k) {
        return new SyntheticBatches(256, BATCH * SEQ / k, k, 8, SEED);
    }

    /** CMS periods of the nested models: fastest level every step, then every 8 and 64 steps. */
    public static final int[] CMS_PERIODS = {1, 8, 64};

    /**
     * The Continuum Memory System: the baseline with each feed-forward replaced by 3 SwiGLU levels
     * of a third of the width each (periods 1, 8, 64, one parameter group per level).
     * NestedLm always uses the engine's default device (the GPU when there is one).
     */
    public static NestedLm cms(int d) {
        BackboneConfig b = backbone(d);
        CmsConfig cms = CmsConfig.of(b.ffInner() / CMS_PERIODS.length, CMS_PERIODS);
        return new NestedLm(new NestedLmConfig(ByteTokenizer.VOCAB_SIZE, -1, b, NestedLmConfig.Mixer.ATTENTION, cms, true, null), SEED);
    }

    /** HOPE: self-modifying memory (heads of width 64, memory width 16, chunks of 8) followed by the same CMS. */
    public static NestedLm hope(int d) {
        BackboneConfig b = backbone(d);
        CmsConfig cms = CmsConfig.of(b.ffInner() / CMS_PERIODS.length, CMS_PERIODS);
        HopeConfig h = new HopeConfig(Math.max(1, d / 64), 16, 8, 0.1, 4);
        return new NestedLm(new NestedLmConfig(ByteTokenizer.VOCAB_SIZE, -1, b, NestedLmConfig.Mixer.HOPE, cms, true, h), SEED);
    }

    /** Batches for the baseline: rows of SEQ + 1 byte ids (SEQ predictions per row). */
    public static SyntheticBatches transformerBatches() {
        return new SyntheticBatches(256, BATCH, SEQ + 1, 8, SEED);
    }
}
