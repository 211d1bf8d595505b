package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The report's statistics against SciPy 1.17.1 for the same inputs, recorded here as constants
 * ({@code scipy.stats.t.ppf}, {@code t.sf}, {@code binomtest(...).pvalue}, {@code chi2.sf}).
 */
class StatisticsTest {
    @Test
    void studentTQuantilesMatchScipy() {
        assertEquals(12.706204736174694, Statistics.studentTQuantile(0.975, 1), 1e-9);
        assertEquals(4.302652729749462, Statistics.studentTQuantile(0.975, 2), 1e-9);
        assertEquals(2.7764451051977934, Statistics.studentTQuantile(0.975, 4), 1e-9);
        assertEquals(2.228138851986274, Statistics.studentTQuantile(0.975, 10), 1e-9);
        assertEquals(1.9839715185235518, Statistics.studentTQuantile(0.975, 100), 1e-9);
    }

    @Test
    void studentTTailsMatchScipy() {
        assertEquals(0.0500032935864745, Statistics.studentTTwoSided(2.2281, 10), 1e-12);
        assertEquals(0.00034475707807711124, Statistics.studentTTwoSided(11.34, 4), 1e-14);
        assertEquals(0.651447964848151, Statistics.studentTTwoSided(-0.5, 3), 1e-12);
        assertEquals(1.0, Statistics.studentTTwoSided(0, 5), 1e-12);
    }

    @Test
    void summaryGivesMeanStdAndConfidenceInterval() {
        Statistics.Summary s = Statistics.Summary.of(new double[] {0.90, 0.92, 0.94});
        assertEquals(0.92, s.mean(), 1e-12);
        assertEquals(0.02, s.std(), 1e-12);
        assertEquals(4.302652729749462 * 0.02 / Math.sqrt(3), s.halfWidth(), 1e-9);
        assertTrue(Double.isNaN(Statistics.Summary.of(new double[] {0.5}).halfWidth()));
    }

    @Test
    void mcnemarExactMatchesScipyBinomtest() {
        assertEquals(0.021484375, Statistics.mcnemar(1, 9), 1e-15);
        assertEquals(0.2265625, Statistics.mcnemar(3, 8), 1e-15);
        assertEquals(0.00048828125, Statistics.mcnemar(0, 12), 1e-15);
        assertEquals(0.5412561893463135, Statistics.mcnemar(10, 14), 1e-14);
        assertEquals(1.0, Statistics.mcnemar(5, 5), 1e-12);
        assertEquals(1.0, Statistics.mcnemar(0, 0), 1e-12);
    }

    @Test
    void mcnemarChiSquareMatchesScipy() {
        // (|b - c| - 1)^2 / (b + c), then chi2.sf(x, 1)
        assertEquals(0.014171388254012323, Statistics.mcnemar(40, 20), 1e-12);
        assertEquals(0.008711912962379598, Statistics.mcnemar(30, 12), 1e-12);
        assertEquals(0.055850113675743426, Statistics.mcnemar(100, 130), 1e-12);
    }

    @Test
    void correctedResampledTTestMatchesScipy() {
        double[] d = {0.010, 0.012, 0.008, 0.011, 0.009};
        // t = mean / sqrt((1/5 + 1000/9000) * var) = 11.338934190276813, 2 * t.sf(t, 4)
        double corrected = Statistics.correctedResampledTTest(d, 9000, 1000);
        assertEquals(0.00034488345480618266, corrected, 1e-13);
        double plain = Statistics.studentTTwoSided(0.010 / (Statistics.Summary.of(d).std() / Math.sqrt(5)), 4);
        assertTrue(corrected > plain, "the correction makes the test more conservative");
        assertEquals(0.5995548134404001, Statistics.correctedResampledTTest(new double[] {0.004, -0.002, 0.006},
                270, 200), 1e-12);
        assertTrue(Double.isNaN(Statistics.correctedResampledTTest(new double[] {0.1}, 10, 1)));
        assertEquals(1.0, Statistics.correctedResampledTTest(new double[] {0, 0, 0}, 10, 1));
    }
}
