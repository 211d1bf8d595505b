package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a dataset provider is given to describe or load the dataset of one manifest.
 *
 * @param config         the manifest's {@code dataset.params}, bound to the provider's
 *                       {@link DatasetProvider#configType()} (a {@link NoParams} for built-in datasets)
 * @param baseDirectory  the folder relative paths in {@code config} are resolved against (the manifest's)
 * @param cacheDirectory the dataset cache folder (fetched datasets live there)
 * @param log            receives progress lines
 */
public record DatasetRequest(Record config, Path baseDirectory, Path cacheDirectory, Consumer<String> log) {
    public DatasetRequest {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        log = log == null ? line -> { } : log;
    }

    /** A request without parameters (a built-in dataset). */
    public static DatasetRequest of(Path cacheDirectory, Consumer<String> log) {
        return new DatasetRequest(new NoParams(), Path.of("."), cacheDirectory, log);
    }

    /** {@code path} resolved against the base directory. */
    public Path resolve(String path) {
        return baseDirectory.resolve(path).normalize();
    }

    /** The config as the provider's own type. */
    public <C extends Record> C config(Class<C> type) {
        if (!type.isInstance(config)) {
            throw new IllegalArgumentException("expected a " + type.getSimpleName() + " config, got "
                    + config.getClass().getSimpleName());
        }
        return type.cast(config);
    }
}
