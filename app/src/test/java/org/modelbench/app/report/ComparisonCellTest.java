package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The comparison table's cells when some trials did not measure a metric (an inference rate over cached features). */
class ComparisonCellTest {
    @Test
    void trialsThatDidNotMeasureAreLeftOutAndCounted() {
        // mean 1100, std 141.42, half-width t(0.975, 1) * 141.42 / sqrt(2) = 1270.6
        assertEquals("1100 ± 141 [0, 2371] (2 of 3 trials measured)",
                Report.comparisonCell("inferenceSamplesPerSecond", new double[] {1000, Double.NaN, 1200}));
    }

    @Test
    void noTrialMeasuredIsNotANumber() {
        assertEquals("n/a (not measured)",
                Report.comparisonCell("inferenceSamplesPerSecond", new double[] {Double.NaN, Double.NaN}));
    }

    @Test
    void everyTrialMeasuredSaysNothingMore() {
        assertEquals("1000 ± 0 [n/a: 1 seed]", Report.comparisonCell("inferenceSamplesPerSecond", new double[] {1000}));
        assertEquals("0.5000 ± 0.1414 [0.0000, 1.7706]", Report.comparisonCell("accuracy", new double[] {0.4, 0.6}));
    }
}
