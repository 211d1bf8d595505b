package org.modelbench.app.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pairwise comparison of a report, computed from trial results only (no files, no rendering).
 *
 * <p>For each pair of models (in manifest order) over the seeds both finished: the mean accuracy
 * difference, the corrected resampled t-test on the per-seed differences, and McNemar's test on
 * each seed's test predictions. The t-test decides with two seeds or more, McNemar's test of the
 * first shared seed with one; {@code p < alpha} is a win for the more accurate model, else a tie.
 *
 * @param pairs  one entry per pair of models with at least one shared seed
 * @param record wins, ties and losses per model id, every model listed
 */
record Comparison(List<Pair> pairs, Map<String, WinTieLoss> record) {

    /** One model's results as the comparison sees them, one entry per finished seed. */
    record Trials(String id, List<Seed> seeds) {
        Trials {
            seeds = List.copyOf(seeds);
        }
    }

    /**
     * One finished trial.
     *
     * @param seed      its seed
     * @param fold      its cross-validation fold, or {@code null} without folds
     * @param accuracy  its test accuracy
     * @param trainRows its training rows
     * @param testRows  its test rows
     * @param correct   per test row, whether it was classified correctly
     */
    record Seed(long seed, Integer fold, double accuracy, int trainRows, int testRows, boolean[] correct) {
        /** A trial without cross-validation. */
        Seed(long seed, double accuracy, int trainRows, int testRows, boolean[] correct) {
            this(seed, null, accuracy, trainRows, testRows, correct);
        }

        /** {@code seed S} or {@code seed S fold F}. */
        String label() {
            return "seed " + seed + (fold == null ? "" : " fold " + fold);
        }
    }

    /**
     * McNemar's test of one trial (seed, and fold with cross-validation).
     *
     * @param trial e.g. {@code seed 2} or {@code seed 2 fold 3}
     * @param onlyA rows only model A got right
     * @param onlyB rows only model B got right
     */
    record McNemar(String trial, int onlyA, int onlyB, double p) {
    }

    /**
     * One pair.
     *
     * @param a              model A's id
     * @param b              model B's id
     * @param meanDifference mean over shared seeds of accuracy(A) - accuracy(B)
     * @param tTestP         the corrected resampled t-test's p; NaN with one shared seed
     * @param mcnemar        per shared seed
     * @param decisiveP      the p that decides
     * @param winner         the winner's id, or {@code null} for a tie
     */
    record Pair(String a, String b, double meanDifference, double tTestP, List<McNemar> mcnemar, double decisiveP,
                String winner) {
    }

    /** A model's tally. */
    record WinTieLoss(int wins, int ties, int losses) {
    }

    /** Compares every pair of {@code models} at significance level {@code alpha}. */
    static Comparison of(List<Trials> models, double alpha) {
        Map<String, int[]> tally = new LinkedHashMap<>();
        models.forEach(m -> tally.put(m.id(), new int[3]));
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            for (int j = i + 1; j < models.size(); j++) {
                Trials a = models.get(i);
                Trials b = models.get(j);
                List<Double> diffs = new ArrayList<>();
                List<McNemar> mcnemar = new ArrayList<>();
                int trainRows = 0;
                int testRows = 0;
                for (Seed sa : a.seeds()) {
                    Seed sb = b.seeds().stream().filter(s -> s.seed() == sa.seed()
                            && java.util.Objects.equals(s.fold(), sa.fold())).findFirst().orElse(null);
                    if (sb == null) {
                        continue;
                    }
                    diffs.add(sa.accuracy() - sb.accuracy());
                    trainRows = sa.trainRows();
                    testRows = sa.testRows();
                    int onlyA = 0;
                    int onlyB = 0;
                    for (int r = 0; r < Math.min(sa.correct().length, sb.correct().length); r++) {
                        if (sa.correct()[r] && !sb.correct()[r]) {
                            onlyA++;
                        } else if (!sa.correct()[r] && sb.correct()[r]) {
                            onlyB++;
                        }
                    }
                    mcnemar.add(new McNemar(sa.label(), onlyA, onlyB, Statistics.mcnemar(onlyA, onlyB)));
                }
                if (diffs.isEmpty()) {
                    continue;
                }
                double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
                double mean = Statistics.Summary.of(d).mean();
                double tp = Statistics.correctedResampledTTest(d, Math.max(1, trainRows), testRows);
                double decisive = d.length >= 2 ? tp : mcnemar.get(0).p();
                String winner = null;
                if (decisive < alpha && mean != 0) {
                    winner = mean > 0 ? a.id() : b.id();
                    String loser = mean > 0 ? b.id() : a.id();
                    tally.get(winner)[0]++;
                    tally.get(loser)[2]++;
                } else {
                    tally.get(a.id())[1]++;
                    tally.get(b.id())[1]++;
                }
                pairs.add(new Pair(a.id(), b.id(), mean, tp, mcnemar, decisive, winner));
            }
        }
        Map<String, WinTieLoss> record = new LinkedHashMap<>();
        tally.forEach((id, t) -> record.put(id, new WinTieLoss(t[0], t[1], t[2])));
        return new Comparison(pairs, record);
    }
}
