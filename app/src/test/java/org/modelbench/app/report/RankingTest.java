package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The across-datasets statistics against published numbers: Demšar (2006), section 3.2.2 and 3.2.3
 * (four C4.5 variants on 14 datasets), and SciPy 1.17.1's {@code friedmanchisquare}, {@code rankdata},
 * {@code chi2.sf} and {@code f.sf} for the same inputs, recorded here as constants.
 */
class RankingTest {
    @Test
    void tiesShareTheAverageRankLikeScipyRankdata() {
        // scipy.stats.rankdata(-[0.9, 0.8, 0.9, 0.7, 0.8]) = [1.5, 3.5, 1.5, 5, 3.5]
        assertArrayEquals(new double[] {1.5, 3.5, 1.5, 5, 3.5}, Ranking.ranks(new double[] {0.9, 0.8, 0.9, 0.7, 0.8}));
        assertArrayEquals(new double[] {2, 2, 2}, Ranking.ranks(new double[] {0.5, 0.5, 0.5}));
        assertArrayEquals(new double[] {3, 1, 2}, Ranking.ranks(new double[] {0.1, 0.9, 0.5}));
    }

    /**
     * Demšar 2006: average ranks 3.143, 2.000, 2.893 and 1.964 of k = 4 algorithms on N = 14 data sets
     * give chi-square_F = 9.28 and F_F = 3.69 (F(3, 39) critical value 2.85 at alpha = 0.05), and the
     * Nemenyi critical difference is 2.569 * sqrt(4 * 5 / (6 * 14)) = 1.25.
     */
    @Test
    void friedmanAndNemenyiMatchDemsarsWorkedExample() {
        Ranking.Friedman f = Ranking.Friedman.of(new double[] {3.143, 2.000, 2.893, 1.964}, 14);
        assertEquals(9.28, f.chiSquare(), 0.005);
        assertEquals(3.69, f.imanDavenportF(), 0.005);
        // scipy.stats.chi2.sf(9.28, 3) and scipy.stats.f.sf(3.69, 3, 39)
        assertEquals(0.025790724198756772, Ranking.Friedman.of(new double[] {3.143, 2.000, 2.893, 1.964}, 14)
                .chiSquareP(), 2e-4);
        assertTrue(f.rejects(), "Demšar rejects the null hypothesis: F_F = 3.69 > 2.85");
        assertEquals(1.25, Ranking.Nemenyi.criticalDifference(4, 14), 0.005);
        assertEquals(2.569, Ranking.Q_05[4]);
        assertEquals(3.164, Ranking.Q_05[10]);
        assertTrue(Double.isNaN(Ranking.Nemenyi.criticalDifference(11, 14)), "beyond the table");
    }

    @Test
    void pValuesMatchScipyForTheExactStatistics() {
        // F(3, 39) at exactly 3.69 and chi2(3) at exactly 9.28, via statistics that produce them: k = 4, N = 14
        double[] ranks = {3.143, 2.000, 2.893, 1.964};
        Ranking.Friedman f = Ranking.Friedman.of(ranks, 14);
        double chiP = 1 - new org.hipparchus.distribution.continuous.ChiSquaredDistribution(3)
                .cumulativeProbability(9.28);
        assertEquals(0.025790724198756772, chiP, 1e-12);
        double fP = 1 - new org.hipparchus.distribution.continuous.FDistribution(3, 39).cumulativeProbability(3.69);
        assertEquals(0.01974409968948888, fP, 1e-9);
        assertEquals(0.0197, f.imanDavenportP(), 5e-4);
    }

    /**
     * Five datasets, four models, no ties: SciPy's {@code friedmanchisquare} gives statistic 9.0,
     * p = 0.02929088653488826; the average ranks are 2.4, 2.8, 1.2, 3.6; Iman-Davenport F = 6.0,
     * p = {@code f.sf(6, 3, 12)} = 0.009730830948271929.
     */
    @Test
    void aSmallTableMatchesScipyFriedmanchisquare() {
        double[][] accuracy = {
            {0.95, 0.93, 0.97, 0.91},
            {0.88, 0.90, 0.92, 0.85},
            {0.99, 0.97, 0.98, 0.96},
            {0.75, 0.78, 0.80, 0.70},
            {0.83, 0.81, 0.86, 0.84},
        };
        Ranking r = Ranking.of(List.of("a", "b", "c", "d"), List.of("d1", "d2", "d3", "d4", "d5"), accuracy);
        assertArrayEquals(new double[] {2.4, 2.8, 1.2, 3.6}, r.averageRanks(), 1e-12);
        assertEquals(9.0, r.friedman().chiSquare(), 1e-12);
        assertEquals(0.02929088653488826, r.friedman().chiSquareP(), 1e-12);
        assertEquals(6.0, r.friedman().imanDavenportF(), 1e-12);
        assertEquals(0.009730830948271929, r.friedman().imanDavenportP(), 1e-9);
        double cd = 2.569 * Math.sqrt(4 * 5 / (6.0 * 5));
        assertEquals(cd, r.nemenyi().criticalDifference(), 1e-12);
        // sorted by rank: c 1.2, a 2.4, b 2.8, d 3.6; CD = 2.098: {c, a, b} and {a, b, d} are the groups
        assertEquals(List.of("c", "a", "b", "d"), r.byRank());
        assertEquals(List.of(List.of("c", "a", "b"), List.of("a", "b", "d")), r.nemenyi().groups());
    }

    @Test
    void identicalRankingsOnEveryDatasetGiveAnInfiniteF() {
        Ranking r = Ranking.of(List.of("a", "b"), List.of("x", "y", "z"),
                new double[][] {{0.9, 0.8}, {0.7, 0.6}, {0.99, 0.5}});
        assertEquals(3.0, r.friedman().chiSquare(), 1e-12); // 12 * 3 / 6 * (1 + 4 - 4.5)
        assertTrue(Double.isInfinite(r.friedman().imanDavenportF()));
        assertEquals(0.0, r.friedman().imanDavenportP());
        assertThrows(IllegalArgumentException.class, () -> Ranking.Friedman.of(new double[] {1.0}, 3));
        assertThrows(IllegalArgumentException.class, () -> Ranking.Friedman.of(new double[] {1.0, 2.0}, 1));
    }

    @Test
    void moreModelsThanTheTableHoldsHaveNoNemenyiTest() {
        int k = 11;
        List<String> models = java.util.stream.IntStream.range(0, k).mapToObj(i -> "m" + i).toList();
        double[][] scores = new double[3][k];
        for (int d = 0; d < 3; d++) {
            for (int m = 0; m < k; m++) {
                scores[d][m] = (m * 7 + d * 3) % k / 100.0;
            }
        }
        Ranking r = Ranking.of(models, List.of("a", "b", "c"), scores);
        assertNull(r.nemenyi());
        assertEquals(k, r.averageRanks().length);
    }
}
