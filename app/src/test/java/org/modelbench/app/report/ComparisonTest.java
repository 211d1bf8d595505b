package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's pairwise comparison on hand-made trials, p-values against SciPy 1.17.1 (see StatisticsTest). */
class ComparisonTest {
    /** {@code onlyA} rows only A gets right, {@code onlyB} only B, the rest of {@code n} both. */
    private static boolean[][] correct(int n, int onlyA, int onlyB) {
        boolean[] a = new boolean[n];
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(a, true);
        java.util.Arrays.fill(b, true);
        for (int i = 0; i < onlyA; i++) {
            b[i] = false;
        }
        for (int i = onlyA; i < onlyA + onlyB; i++) {
            a[i] = false;
        }
        return new boolean[][] {a, b};
    }

    @Test
    void threeSeedsAreDecidedByTheCorrectedResampledTTest() {
        boolean[][] s1 = correct(200, 3, 8);
        boolean[][] s2 = correct(200, 40, 20);
        boolean[][] s3 = correct(200, 0, 12);
        Comparison.Trials a = new Comparison.Trials("a", List.of(
                new Comparison.Seed(1, 0.504, 270, 200, s1[0]), new Comparison.Seed(2, 0.498, 270, 200, s2[0]),
                new Comparison.Seed(3, 0.506, 270, 200, s3[0])));
        Comparison.Trials b = new Comparison.Trials("b", List.of(
                new Comparison.Seed(1, 0.5, 270, 200, s1[1]), new Comparison.Seed(2, 0.5, 270, 200, s2[1]),
                new Comparison.Seed(3, 0.5, 270, 200, s3[1])));
        Comparison c = Comparison.of(List.of(a, b), 0.05);
        assertEquals(1, c.pairs().size());
        Comparison.Pair pair = c.pairs().get(0);
        assertEquals((0.004 - 0.002 + 0.006) / 3, pair.meanDifference(), 1e-12);
        // d = [0.004, -0.002, 0.006], 270 train and 200 test rows: scipy 2 * t.sf(0.6180314431495257, 2)
        assertEquals(0.5995548134404001, pair.tTestP(), 1e-9);
        assertEquals(pair.tTestP(), pair.decisiveP());
        double[] scipy = {0.2265625, 0.014171388254012323, 0.00048828125};
        for (int i = 0; i < scipy.length; i++) {
            assertEquals(scipy[i], pair.mcnemar().get(i).p(), 1e-14, "seed " + (i + 1));
        }
        assertEquals(3, pair.mcnemar().get(0).onlyA());
        assertEquals(8, pair.mcnemar().get(0).onlyB());
        assertNull(pair.winner(), "p = 0.60: a tie");
        assertEquals(new Comparison.WinTieLoss(0, 1, 0), c.record().get("a"));
    }

    @Test
    void oneSeedIsDecidedByMcNemarAndMissingSeedsAreSkipped() {
        boolean[][] s1 = correct(100, 0, 12);
        Comparison.Trials a = new Comparison.Trials("a", List.of(new Comparison.Seed(1, 0.80, 900, 100, s1[0])));
        Comparison.Trials b = new Comparison.Trials("b", List.of(new Comparison.Seed(1, 0.92, 900, 100, s1[1]),
                new Comparison.Seed(2, 0.91, 900, 100, s1[1])));
        Comparison.Trials none = new Comparison.Trials("c", List.of());
        Comparison c = Comparison.of(List.of(a, b, none), 0.05);
        assertEquals(1, c.pairs().size(), "c has no finished seed");
        Comparison.Pair pair = c.pairs().get(0);
        assertTrue(Double.isNaN(pair.tTestP()));
        assertEquals(0.00048828125, pair.decisiveP(), 1e-15);
        assertEquals("b", pair.winner());
        assertEquals(new Comparison.WinTieLoss(0, 0, 1), c.record().get("a"));
        assertEquals(new Comparison.WinTieLoss(1, 0, 0), c.record().get("b"));
        assertEquals(new Comparison.WinTieLoss(0, 0, 0), c.record().get("c"));
    }
}
