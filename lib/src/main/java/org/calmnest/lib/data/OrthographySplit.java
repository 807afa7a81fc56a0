package org.calmnest.lib.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Second pass of the Europarl language identification, for languages that Lucene has no stop-word
 * list for. Such a language's documents are claimed by its closest listed neighbour (Slovak by
 * Czech); the mixture shows up in the spelling. For each identified language L with at least
 * {@link #MIN_DOCS} documents:
 * <ol>
 *   <li>x_d = frequency of each non-ASCII letter in document d (per letter of d);</li>
 *   <li>2-means on x_d (deterministic farthest-point start, 20 Lloyd iterations);</li>
 *   <li>if both clusters hold at least {@link #MIN_SHARE} of the documents and the mean stop-word
 *       score of one is below {@link #MAX_SCORE_RATIO} times the other's, the worse-scoring cluster
 *       is another language: its documents become {@link LanguageIdentifier#UNDETERMINED}.</li>
 * </ol>
 * A genuine language also splits into two spelling clusters at times (names, loan words), but
 * both halves then score alike on its stop words, so nothing is removed.
 */
final class OrthographySplit {

    static final int MIN_DOCS = 50;
    static final double MIN_SHARE = 0.15;
    static final double MAX_SCORE_RATIO = 0.75;

    private OrthographySplit() {
    }

    /** Rewrites labels[i] to UNDETERMINED where the rule above says so; returns how many changed. */
    static int refine(List<String> texts, String[] labels, double[] scores) {
        Map<String, List<Integer>> byLang = new HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            if (!labels[i].equals(LanguageIdentifier.UNDETERMINED)) {
                byLang.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
        }
        int changed = 0;
        for (List<Integer> docs : byLang.values()) {
            if (docs.size() < MIN_DOCS) {
                continue;
            }
            double[][] x = features(texts, docs);
            int[] cluster = twoMeans(x);
            int n1 = 0;
            double[] sum = new double[2];
            for (int i = 0; i < docs.size(); i++) {
                n1 += cluster[i];
                sum[cluster[i]] += scores[docs.get(i)];
            }
            int n0 = docs.size() - n1;
            if (Math.min(n0, n1) < MIN_SHARE * docs.size()) {
                continue;
            }
            double m0 = sum[0] / n0;
            double m1 = sum[1] / n1;
            int worse = m0 < m1 ? 0 : 1;
            if (Math.min(m0, m1) < MAX_SCORE_RATIO * Math.max(m0, m1)) {
                for (int i = 0; i < docs.size(); i++) {
                    if (cluster[i] == worse) {
                        labels[docs.get(i)] = LanguageIdentifier.UNDETERMINED;
                        changed++;
                    }
                }
            }
        }
        return changed;
    }

    private static double[][] features(List<String> texts, List<Integer> docs) {
        Map<Character, Integer> column = new HashMap<>();
        List<Map<Integer, Integer>> counts = new ArrayList<>();
        int[] letters = new int[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            Map<Integer, Integer> c = new HashMap<>();
            String t = texts.get(docs.get(i));
            for (int k = 0; k < t.length(); k++) {
                char ch = t.charAt(k);
                if (Character.isLetter(ch)) {
                    letters[i]++;
                    char lc = Character.toLowerCase(ch);
                    if (lc > 127) {
                        c.merge(column.computeIfAbsent(lc, z -> column.size()), 1, Integer::sum);
                    }
                }
            }
            counts.add(c);
        }
        double[][] x = new double[docs.size()][column.size()];
        for (int i = 0; i < docs.size(); i++) {
            int li = Math.max(1, letters[i]);
            double[] row = x[i];
            counts.get(i).forEach((j, v) -> row[j] = v / (double) li);
        }
        return x;
    }

    /** Cluster (0 or 1) of each row: farthest-point start, then Lloyd iterations. */
    static int[] twoMeans(double[][] x) {
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        double[] mean = new double[d];
        for (double[] v : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[j] / n;
            }
        }
        int p = farthest(x, mean);
        int q = farthest(x, x[p]);
        double[][] c = {x[p].clone(), x[q].clone()};
        int[] a = new int[n];
        for (int it = 0; it < 20; it++) {
            for (int i = 0; i < n; i++) {
                a[i] = dist2(x[i], c[0]) <= dist2(x[i], c[1]) ? 0 : 1;
            }
            for (int k = 0; k < 2; k++) {
                double[] s = new double[d];
                int cnt = 0;
                for (int i = 0; i < n; i++) {
                    if (a[i] == k) {
                        cnt++;
                        for (int j = 0; j < d; j++) {
                            s[j] += x[i][j];
                        }
                    }
                }
                if (cnt > 0) {
                    for (int j = 0; j < d; j++) {
                        s[j] /= cnt;
                    }
                    c[k] = s;
                }
            }
        }
        return a;
    }

    private static int farthest(double[][] x, double[] from) {
        int best = 0;
        double bd = -1;
        for (int i = 0; i < x.length; i++) {
            double dd = dist2(x[i], from);
            if (dd > bd) {
                bd = dd;
                best = i;
            }
        }
        return best;
    }

    private static double dist2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double e = a[j] - b[j];
            s += e * e;
        }
        return s;
    }
}
