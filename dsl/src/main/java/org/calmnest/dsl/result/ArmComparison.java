package org.calmnest.dsl.result;

import org.calmnest.dsl.chart.ChartFiles;
import org.calmnest.dsl.chart.Charts;
import org.calmnest.dsl.display.Html;
import org.calmnest.dsl.display.RichDisplay;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Average forgetting (accuracy-based, after the last task) of several arms, each run with several
 * seeds: the mean per arm and a 95 % percentile-bootstrap interval over the seeds (2000
 * resamples, fixed seed, so the table repeats). One seed gives a zero-width interval: say so
 * rather than read it as certainty.
 */
public final class ArmComparison implements RichDisplay {

    public static final int RESAMPLES = 2000;

    private final List<String> arms;
    private final List<double[]> values;

    /** @param runsByArm arm name -> the forgetting reports of its seeds (at least one each) */
    public ArmComparison(Map<String, List<ForgettingReport>> runsByArm) {
        if (runsByArm == null || runsByArm.isEmpty()) {
            throw new IllegalArgumentException("compareForgetting(..): arms is empty; pass arm name -> list of forgetting reports");
        }
        arms = new ArrayList<>();
        values = new ArrayList<>();
        runsByArm.forEach((arm, reports) -> {
            if (reports == null || reports.isEmpty()) {
                throw new IllegalArgumentException("compareForgetting(..): arm \"" + arm + "\" has no runs; give every arm at least one seed");
            }
            arms.add(arm);
            values.add(reports.stream().mapToDouble(r -> r.accuracy().averageForgetting()).toArray());
        });
    }

    /** Mean, lower and upper 95 % bootstrap bound of one sample. */
    static double[] meanAndCi(double[] v, long seed) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        if (v.length < 2) {
            return new double[] {mean, mean, mean};
        }
        Random rng = new Random(seed);
        double[] means = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            double s = 0;
            for (int i = 0; i < v.length; i++) {
                s += v[rng.nextInt(v.length)];
            }
            means[b] = s / v.length;
        }
        Arrays.sort(means);
        return new double[] {mean, means[(int) (0.025 * RESAMPLES)], means[(int) Math.ceil(0.975 * RESAMPLES) - 1]};
    }

    /** One row per arm: seeds, mean forgetting, CI bounds. */
    public Table table() {
        StringColumn arm = StringColumn.create("arm");
        IntColumn seeds = IntColumn.create("seeds");
        DoubleColumn mean = DoubleColumn.create("forgetting");
        DoubleColumn lo = DoubleColumn.create("ci95Low");
        DoubleColumn hi = DoubleColumn.create("ci95High");
        for (int a = 0; a < arms.size(); a++) {
            double[] m = meanAndCi(values.get(a), 42 + a);
            arm.append(arms.get(a));
            seeds.append(values.get(a).length);
            mean.append(m[0]);
            lo.append(m[1]);
            hi.append(m[2]);
        }
        return Table.create("forgetting per arm", arm, seeds, mean, lo, hi);
    }

    /** Forgetting per arm with its interval. */
    public CategoryChart plot() {
        Table t = table();
        return Charts.forgetting(arms.toArray(new String[0]), t.doubleColumn("forgetting").asDoubleArray(),
                t.doubleColumn("ci95Low").asDoubleArray(), t.doubleColumn("ci95High").asDoubleArray());
    }

    public String summary() {
        Table t = table();
        StringBuilder b = new StringBuilder("average forgetting (accuracy) per arm, 95% bootstrap CI over seeds\n");
        for (int r = 0; r < t.rowCount(); r++) {
            b.append(String.format(Locale.ROOT, "  %-24s %.4f [%.4f, %.4f] (%d seeds)%n", t.stringColumn("arm").get(r),
                    t.doubleColumn("forgetting").get(r), t.doubleColumn("ci95Low").get(r), t.doubleColumn("ci95High").get(r),
                    t.intColumn("seeds").get(r)));
        }
        return b.toString().stripTrailing();
    }

    @Override
    public String toString() {
        Map<String, String> m = new LinkedHashMap<>();
        Table t = table();
        for (int r = 0; r < t.rowCount(); r++) {
            m.put(t.stringColumn("arm").get(r), String.format(Locale.ROOT, "%.4f", t.doubleColumn("forgetting").get(r)));
        }
        return "ArmComparison" + m;
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, String> rows = new LinkedHashMap<>();
        Table t = table();
        for (int r = 0; r < t.rowCount(); r++) {
            rows.put(t.stringColumn("arm").get(r), String.format(Locale.ROOT, "%.4f [%.4f, %.4f], %d seeds",
                    t.doubleColumn("forgetting").get(r), t.doubleColumn("ci95Low").get(r), t.doubleColumn("ci95High").get(r),
                    t.intColumn("seeds").get(r)));
        }
        return Html.bundle(summary(), Html.keyValues("forgetting per arm (95% CI)", rows), ChartFiles.png(plot()));
    }
}
