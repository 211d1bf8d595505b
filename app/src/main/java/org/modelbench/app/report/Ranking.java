package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.hipparchus.distribution.continuous.ChiSquaredDistribution;
import org.hipparchus.distribution.continuous.FDistribution;

/**
 * Models compared across datasets as Demšar (2006, "Statistical Comparisons of Classifiers over
 * Multiple Data Sets", JMLR 7:1-30) recommends: each model's rank per dataset (1 = most accurate,
 * ties share the average of the ranks they span), the average ranks, the Friedman test of "all
 * models are equivalent" with Iman and Davenport's F statistic, and the Nemenyi post-hoc test's
 * critical difference of average ranks.
 *
 * @param models       model ids, in manifest order
 * @param datasets     dataset labels ranked on (every model finished on each), in manifest order
 * @param scores       {@code scores[d][m]}: the mean test accuracy of model {@code m} on dataset {@code d}
 * @param ranks        {@code ranks[d][m]}: its rank on that dataset
 * @param averageRanks per model, its rank averaged over the datasets
 * @param friedman     the Friedman test
 * @param nemenyi      the Nemenyi test at {@link #ALPHA}, {@code null} for more models than the table holds
 */
record Ranking(List<String> models, List<String> datasets, double[][] scores, double[][] ranks,
               double[] averageRanks, Friedman friedman, Nemenyi nemenyi) {

    /** The significance level of the Friedman and Nemenyi tests. */
    static final double ALPHA = 0.05;

    /**
     * The critical values q_0.05 of the Nemenyi test for k = 2 to 10 models: the studentized range
     * statistic at infinite degrees of freedom divided by sqrt(2), Demšar (2006), Table 5(a).
     */
    static final double[] Q_05 = {Double.NaN, Double.NaN, 1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102,
        3.164};

    /**
     * The Friedman test over {@code datasets} datasets and {@code models} models.
     *
     * @param chiSquare      Friedman's statistic, chi-square with k - 1 degrees of freedom
     * @param chiSquareP     its p-value
     * @param imanDavenportF Iman and Davenport's (1980) less conservative statistic, F with k - 1 and
     *                       (k - 1)(N - 1) degrees of freedom (infinite when the ranks agree on every dataset)
     * @param imanDavenportP its p-value
     */
    record Friedman(int datasets, int models, double chiSquare, double chiSquareP, double imanDavenportF,
                    double imanDavenportP) {

        /** The test from the average ranks of {@code k = averageRanks.length} models over {@code n} datasets. */
        static Friedman of(double[] averageRanks, int n) {
            int k = averageRanks.length;
            if (k < 2 || n < 2) {
                throw new IllegalArgumentException("the Friedman test needs >= 2 models and >= 2 datasets, got " + k
                        + " and " + n);
            }
            double sum = 0;
            for (double r : averageRanks) {
                sum += r * r;
            }
            double chi = 12.0 * n / (k * (k + 1.0)) * (sum - k * (k + 1.0) * (k + 1.0) / 4.0);
            chi = Math.max(0, chi);
            double chiP = 1.0 - new ChiSquaredDistribution(k - 1).cumulativeProbability(chi);
            double denominator = n * (k - 1.0) - chi;
            double f = denominator <= 1e-12 ? Double.POSITIVE_INFINITY : (n - 1.0) * chi / denominator;
            double fP = Double.isInfinite(f) ? 0.0
                    : 1.0 - new FDistribution(k - 1, (k - 1.0) * (n - 1.0)).cumulativeProbability(f);
            return new Friedman(n, k, chi, chiP, f, fP);
        }

        /** Whether the test rejects "all models are equivalent" at {@link #ALPHA} (by the F statistic). */
        boolean rejects() {
            return imanDavenportP < ALPHA;
        }
    }

    /**
     * The Nemenyi test: two models differ significantly when their average ranks differ by at least
     * {@code criticalDifference = q_alpha * sqrt(k (k + 1) / (6 N))}.
     *
     * @param alpha              the significance level
     * @param qAlpha             the critical value for k models
     * @param criticalDifference the critical difference of average ranks
     * @param groups             maximal groups of models (by average rank, best first) whose ranks differ by
     *                           less than the critical difference: the bars of the diagram
     */
    record Nemenyi(double alpha, double qAlpha, double criticalDifference, List<List<String>> groups) {
        Nemenyi {
            groups = groups.stream().map(List::copyOf).toList();
        }

        /** The critical difference for {@code k} models over {@code n} datasets, or NaN beyond the table (k > 10). */
        static double criticalDifference(int k, int n) {
            return k < 2 || k >= Q_05.length ? Double.NaN : Q_05[k] * Math.sqrt(k * (k + 1.0) / (6.0 * n));
        }
    }

    /**
     * Ranks {@code scores[d][m]} (higher is better) per dataset and tests them.
     *
     * @throws IllegalArgumentException with fewer than 2 datasets or models
     */
    static Ranking of(List<String> models, List<String> datasets, double[][] scores) {
        int n = datasets.size();
        int k = models.size();
        double[][] ranks = new double[n][];
        double[] average = new double[k];
        for (int d = 0; d < n; d++) {
            if (scores[d].length != k) {
                throw new IllegalArgumentException("scores[" + d + "]: expected " + k + " values, got "
                        + scores[d].length);
            }
            ranks[d] = ranks(scores[d]);
            for (int m = 0; m < k; m++) {
                average[m] += ranks[d][m] / n;
            }
        }
        Friedman friedman = Friedman.of(average, n);
        double cd = Nemenyi.criticalDifference(k, n);
        Nemenyi nemenyi = Double.isNaN(cd) ? null : new Nemenyi(ALPHA, Q_05[k], cd, groups(models, average, cd));
        return new Ranking(List.copyOf(models), List.copyOf(datasets), scores, ranks, average, friedman, nemenyi);
    }

    /**
     * The ranks of {@code scores}: 1 for the highest; tied scores share the mean of the ranks they
     * occupy (scores 0.9, 0.8, 0.9 rank 1.5, 3, 1.5).
     */
    static double[] ranks(double[] scores) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]));
        double[] out = new double[scores.length];
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                out[order[i]] = rank;
            }
            start = end + 1;
        }
        return out;
    }

    /**
     * The maximal runs of models, sorted by average rank, that span less than {@code cd}: no pair within
     * a run differs significantly. Runs of one model and runs inside an earlier run are left out.
     */
    static List<List<String>> groups(List<String> models, double[] average, double cd) {
        Integer[] order = new Integer[models.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> average[i]));
        List<List<String>> out = new ArrayList<>();
        int lastEnd = -1;
        for (int i = 0; i < order.length; i++) {
            int j = i;
            while (j + 1 < order.length && average[order[j + 1]] - average[order[i]] < cd) {
                j++;
            }
            if (j > i && j > lastEnd) {
                List<String> group = new ArrayList<>();
                for (int g = i; g <= j; g++) {
                    group.add(models.get(order[g]));
                }
                out.add(group);
                lastEnd = j;
            }
        }
        return out;
    }

    /** The model ids sorted by average rank, best first. */
    List<String> byRank() {
        Integer[] order = new Integer[models.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> averageRanks[i]));
        return Arrays.stream(order).map(models::get).toList();
    }
}
