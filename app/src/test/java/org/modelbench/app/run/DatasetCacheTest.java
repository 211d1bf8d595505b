package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.data.DataCache;

/** A suite's datasets load once per process while they fit the budget, and no more than needed beyond it. */
class DatasetCacheTest {
    @TempDir
    Path project;

    private ExperimentPlan suite() {
        return new ManifestLoader(PluginRegistry.load(null, w -> { })).load("suite.yaml", """
                name: cached
                datasets: [{id: iris, folds: 3}, {id: wine, folds: 3}]
                models: [{id: centroid, family: test-centroid}]
                seeds: [1]
                """, project);
    }

    @Test
    void aDatasetLoadsOnceWhileTheDatasetsFitTheBudget() {
        DatasetCache cache = new DatasetCache(suite(), DataCache.defaultDirectory(), s -> { }, null, null, 1L << 30);
        ExperimentData iris = cache.get("iris");
        ExperimentData wine = cache.get("wine");
        assertSame(iris, cache.get("iris"));
        assertSame(wine, cache.get("wine"));
        assertEquals(2, cache.kept());
        assertEquals(150, iris.pool().size());
        assertEquals(178, wine.pool().size());
        assertEquals(30, iris.test().size(), "the provider's test split, kept beside the pool");
        assertEquals(4L * (150 * 4 + 150) + 4L * (30 * 4 + 30), DatasetCache.bytes(iris),
                "pool (train + test rows, cross-validated) and the test split");
    }

    @Test
    void beyondTheBudgetOnlyTheDatasetInUseStays() {
        DatasetCache cache = new DatasetCache(suite(), DataCache.defaultDirectory(), s -> { }, null, null, 1);
        ExperimentData iris = cache.get("iris");
        assertSame(iris, cache.get("iris"));
        cache.get("wine");
        assertEquals(1, cache.kept(), "iris was dropped for wine");
        assertNotSame(iris, cache.get("iris"), "loaded again");
        assertEquals(1, cache.kept());
    }

    @Test
    void recordedHashesAreCheckedPerDataset() {
        ExperimentPlan plan = suite();
        DatasetCache fresh = DatasetCache.of(plan, DataCache.defaultDirectory(), s -> { });
        Map<String, String> iris = fresh.get("iris").fileHashes();
        Map<String, String> wine = fresh.get("wine").fileHashes();
        DatasetCache checked = new DatasetCache(plan, DataCache.defaultDirectory(), s -> { },
                Map.of("iris", iris, "wine", Map.of("wine.csv", "0".repeat(64))), Path.of("lock.json"));
        assertEquals(iris, checked.get("iris").fileHashes());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> checked.get("wine"));
        assertTrue(e.getMessage().startsWith("lock.json: the data files of dataset 'wine' changed since the run "
                + "started ("), e.getMessage());
        assertTrue(!wine.isEmpty());
    }
}
