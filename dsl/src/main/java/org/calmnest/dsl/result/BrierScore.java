package org.calmnest.dsl.result;

import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.calmnest.lib.eval.BrierLm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * BrierLM of a model with its n-gram parts (CALM.md §3):
 * {@code BrierLM = 100 * (Brier-1 * Brier-2 * Brier-3 * Brier-4)^(1/4)}, higher is better.
 *
 * @param model     the scored model's name
 * @param brierLM   100 * geometric mean of the parts (0 when a part is <= 0)
 * @param brier     Brier-1..4 means
 * @param positions positions scored for Brier-1
 * @param flops     training FLOPs of the model when it was scored
 */
public record BrierScore(String model, double brierLM, double[] brier, long positions, double flops) implements RichDisplay {

    public BrierScore {
        brier = brier.clone();
    }

    static BrierScore of(String model, BrierLm.Result r, double flops) {
        return new BrierScore(model, r.brierLm(), r.brier(), r.counts().length == 0 ? 0 : r.counts()[0], flops);
    }

    @Override
    public double[] brier() {
        return brier.clone();
    }

    /** Brier-n, n from 1. */
    public double brier(int n) {
        if (n < 1 || n > brier.length) {
            throw new IllegalArgumentException("brier(" + n + "): n is out of range; use 1.." + brier.length);
        }
        return brier[n - 1];
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "BrierLM %.3f (", brierLM));
        for (int i = 0; i < brier.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "Brier-%d %.4f", i + 1, brier[i]));
        }
        return s.append(String.format(Locale.ROOT, "; %s, %d positions)", model, positions)).toString();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("BrierLM", String.format(Locale.ROOT, "%.3f", brierLM));
        for (int i = 0; i < brier.length; i++) {
            rows.put("Brier-" + (i + 1), String.format(Locale.ROOT, "%.4f", brier[i]));
        }
        rows.put("positions", String.valueOf(positions));
        rows.put("training FLOPs", Charts.flops(flops));
        return Html.bundle(toString(), Html.keyValues("BrierLM of " + model, rows), null);
    }
}
