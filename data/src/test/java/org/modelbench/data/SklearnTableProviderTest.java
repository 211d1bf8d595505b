package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.spi.DatasetProvider;

/** The four scikit-learn tables from Debian's python3-sklearn, checked against their published facts. */
class SklearnTableProviderTest {
    @TempDir
    Path cache;

    private static int[] counts(DatasetSplits s) {
        int[] a = s.train().labelCounts();
        int[] b = s.test().labelCounts();
        return IntStream.range(0, a.length).map(i -> a[i] + b[i]).toArray();
    }

    @Test
    void irisHasFisherFlowers() {
        DatasetSplits iris = load(new SklearnTableProvider.Iris());
        assertEquals(120, iris.train().size());
        assertEquals(30, iris.test().size());
        assertArrayEquals(new int[] {50, 50, 50}, counts(iris));
        assertArrayEquals(new int[] {10, 10, 10}, iris.test().labelCounts());
        assertEquals("4", iris.train().sampleShape().toString());
        // row 0 of iris.csv is 5.1,3.5,1.4,0.2,setosa and is a training row
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, Arrays.copyOf(iris.train().features().data(), 4));
        assertEquals(0, iris.train().labels()[0]);
        assertEquals("f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449",
                iris.train().metadata().get("sha256:iris.csv"));
    }

    @Test
    void wineBreastCancerAndDigitsHaveTheirClassCounts() {
        assertArrayEquals(new int[] {59, 71, 48}, counts(load(new SklearnTableProvider.Wine())));
        DatasetSplits cancer = load(new SklearnTableProvider.BreastCancer());
        assertArrayEquals(new int[] {212, 357}, counts(cancer));
        assertEquals("30", cancer.train().sampleShape().toString());
        DatasetSplits digits = load(new SklearnTableProvider.Digits());
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts(digits));
        assertEquals("1x8x8", digits.train().sampleShape().toString());
        float max = 0;
        for (float v : digits.train().features().data()) {
            max = Math.max(max, v);
            assertTrue(v >= 0 && v == Math.rint(v));
        }
        assertEquals(16f, max);
    }

    private DatasetSplits load(DatasetProvider provider) {
        DatasetSplits splits = provider.load(cache, line -> { });
        DatasetProvider.Info info = provider.info();
        assertEquals(info.trainSize(), splits.train().size());
        assertEquals(info.testSize(), splits.test().size());
        assertEquals(info.sampleShape(), splits.train().sampleShape());
        assertTrue(provider.isCached(cache));
        return splits;
    }
}
