package org.modelbench.app.executor;

import java.nio.file.Path;
import java.util.Objects;
import org.modelbench.app.run.Progress;

/**
 * What an executor adapter needs from the command line: its settings (the manifest's, with the
 * command line's overrides applied) and the folders a trial reads providers and data from on any
 * machine that runs it.
 *
 * @param spark             the Spark settings ({@code executor.spark} and {@code --spark-*})
 * @param pluginsDirectory  the plugins folder ({@code --plugins-dir}), absolute
 * @param dataDirectory     the dataset cache ({@code --data-dir}), absolute
 * @param progress          where progress lines go
 */
public record ExecutorContext(SparkSettings spark, Path pluginsDirectory, Path dataDirectory, Progress progress) {
    public ExecutorContext {
        Objects.requireNonNull(spark, "spark");
        pluginsDirectory = pluginsDirectory.toAbsolutePath().normalize();
        dataDirectory = dataDirectory.toAbsolutePath().normalize();
        Objects.requireNonNull(progress, "progress");
    }
}
