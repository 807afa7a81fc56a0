package org.calmnest.lib.nested;

import org.calmnest.lib.nn.BackboneConfig;

/**
 * The experiment arms of NESTED.md section 6 as {@link NestedLmConfig}s with (nearly) equal
 * parameter counts: the Transformer's SwiGLU of width {@code ffInner} is split into k CMS levels
 * of width {@code ffInner / k}, and HOPE's memory hidden width is chosen so its mixer has about
 * the attention's 4 d² parameters.
 * <pre>
 *   transformer     attention + SwiGLU(ffInner), one group
 *   transformerK    attention + CMS(k levels), one group, every level every step
 *   cms             attention + CMS with periods C_l (Hope-Attention: softmax attention + CMS)
 *   lrMatched       attention + CMS, every step, level rates eta / C_l
 *   hope            self-modifying memory + CMS with periods C_l
 *   hopeK           self-modifying memory + CMS, every step (HOPE's all-periods-1 control)
 * </pre>
 */
public final class HopeModel {

    private HopeModel() {
    }

    /** Arm names, in reporting order. */
    public static final java.util.List<String> ARMS = java.util.List.of("transformer", "transformerK", "cms", "lrMatched", "hope", "hopeK");

    /**
     * @param arm      one of {@link #ARMS}
     * @param periods  CMS periods, fastest first (their count is k)
     */
    public static NestedLmConfig arm(String arm, int vocab, int pad, BackboneConfig backbone, int[] periods, HopeConfig hope) {
        if (periods == null || periods.length == 0) {
            throw new IllegalArgumentException("HopeModel.arm: periods is empty: give the CMS periods, e.g. {1, 4, 16}");
        }
        int k = periods.length;
        if (backbone.ffInner() % k != 0) {
            throw new IllegalArgumentException("HopeModel.arm: ffInner = " + backbone.ffInner() + " is not divisible by the " + k
                    + " CMS levels; choose ffInner a multiple of " + k + " so every arm has the same parameter count");
        }
        CmsConfig cms = CmsConfig.of(backbone.ffInner() / k, periods);
        NestedLmConfig.Mixer att = NestedLmConfig.Mixer.ATTENTION;
        NestedLmConfig.Mixer mem = NestedLmConfig.Mixer.HOPE;
        return switch (arm) {
            case "transformer" -> new NestedLmConfig(vocab, pad, backbone, att, null, false, null);
            case "transformerK" -> new NestedLmConfig(vocab, pad, backbone, att, cms.allEveryStep(), false, null);
            case "cms", "hopeAttention" -> new NestedLmConfig(vocab, pad, backbone, att, cms, true, null);
            case "lrMatched" -> new NestedLmConfig(vocab, pad, backbone, att, cms.lrMatched(), true, null);
            case "hope" -> new NestedLmConfig(vocab, pad, backbone, mem, cms, true, hope);
            case "hopeK" -> new NestedLmConfig(vocab, pad, backbone, mem, cms.allEveryStep(), false, hope);
            default -> throw new IllegalArgumentException("HopeModel.arm: unknown arm \"" + arm + "\"; use one of " + ARMS + " or hopeAttention");
        };
    }

    /**
     * HOPE memory width m giving the mixer about the attention's parameters: attention has 4 d²;
     * the memory has W_q, W_o (2 d²), 10 H dh m initial-state numbers, a convolution and readouts.
     */
    public static int matchedMemoryWidth(BackboneConfig backbone, int heads, int convWidth) {
        int d = backbone.d();
        long budget = 4L * d * d - 2L * d * d - (long) convWidth * d - 4L * d;   // minus W_q, W_o, conv, readouts
        int m = (int) Math.max(1, Math.round(budget / (10.0 * d)));           // 10 H dh m = 10 d m
        return m;
    }
}
