package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The report's statistics against published table values. */
class StatisticsTest {
    @Test
    void studentTQuantilesMatchTables() {
        assertEquals(12.7062, Statistics.studentTQuantile(0.975, 1), 1e-3);
        assertEquals(4.3027, Statistics.studentTQuantile(0.975, 2), 1e-4);
        assertEquals(2.7764, Statistics.studentTQuantile(0.975, 4), 1e-4);
        assertEquals(2.2281, Statistics.studentTQuantile(0.975, 10), 1e-4);
        assertEquals(1.9840, Statistics.studentTQuantile(0.975, 100), 1e-4);
        assertEquals(0.05, Statistics.studentTTwoSided(2.2281, 10), 1e-4);
        assertEquals(1.0, Statistics.studentTTwoSided(0, 5), 1e-12);
    }

    @Test
    void summaryGivesMeanStdAndConfidenceInterval() {
        Statistics.Summary s = Statistics.Summary.of(new double[] {0.90, 0.92, 0.94});
        assertEquals(0.92, s.mean(), 1e-12);
        assertEquals(0.02, s.std(), 1e-12);
        assertEquals(4.3027 * 0.02 / Math.sqrt(3), s.halfWidth(), 1e-5);
        assertTrue(Double.isNaN(Statistics.Summary.of(new double[] {0.5}).halfWidth()));
    }

    @Test
    void mcnemarExactAndChiSquare() {
        // exact: b = 1, c = 9 -> 2 * P(X <= 1 | n = 10) = 2 * 11 / 1024
        assertEquals(22.0 / 1024, Statistics.mcnemar(1, 9), 1e-12);
        assertEquals(1.0, Statistics.mcnemar(5, 5), 1e-12);
        assertEquals(1.0, Statistics.mcnemar(0, 0), 1e-12);
        // chi-square with continuity correction: (|40 - 20| - 1)^2 / 60 = 6.0167 -> p = 0.01418
        assertEquals(0.01418, Statistics.mcnemar(40, 20), 1e-4);
    }

    @Test
    void correctedResampledTTestInflatesTheVariance() {
        double[] d = {0.010, 0.012, 0.008, 0.011, 0.009};
        double plain = Statistics.studentTTwoSided(0.010 / (Statistics.Summary.of(d).std() / Math.sqrt(5)), 4);
        double corrected = Statistics.correctedResampledTTest(d, 9000, 1000);
        // t = 0.01 / sqrt((1/5 + 1/9) * var) with var = 2.5e-6 -> t = 11.34, df 4 -> p = 3.45e-4
        assertEquals(3.45e-4, corrected, 2e-5);
        assertTrue(corrected > plain, "the correction makes the test more conservative");
        assertTrue(Double.isNaN(Statistics.correctedResampledTTest(new double[] {0.1}, 10, 1)));
        assertEquals(1.0, Statistics.correctedResampledTTest(new double[] {0, 0, 0}, 10, 1));
    }
}
