package org.modelbench.app.cli;

import java.nio.file.Path;
import org.modelbench.api.ConfigException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.executor.ExecutorContext;
import org.modelbench.app.executor.ExecutorProviders;
import org.modelbench.app.executor.SparkSettings;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.report.Report;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import picocli.CommandLine.Option;

/** {@code run --executor spark}'s options, and the runner on the Spark adapter (found with ServiceLoader). */
final class SparkOptions {
    @Option(names = "--spark-master", paramLabel = "URL",
            description = "With --executor spark: the Spark master, local[N] or spark://host:port (default: the "
                    + "manifest's executor.spark.master, else " + SparkSettings.DEFAULT_MASTER + ").")
    String master;

    @Option(names = "--spark-shared-bundle", negatable = true, description = "With --executor spark: every "
            + "executor sees the bundle folder at the same path (a shared file system) and writes trial folders "
            + "into it; by default trial files come back to the driver, which writes them.")
    Boolean sharedBundle;

    /**
     * A runner whose trials run on the Spark adapter with the manifest's {@code executor.spark} and these
     * options.
     *
     * @throws InvalidInputException when the adapter is not on the class path, or the options are invalid
     */
    ExperimentRunner runner(ModelbenchCommand root, PluginRegistry registry, ExperimentPlan plan, Progress progress) {
        SparkSettings settings;
        try {
            settings = plan.manifest().executor().spark().with(master, sharedBundle);
        } catch (ConfigException e) {
            throw new InvalidInputException("--spark-" + e.getMessage());
        }
        Path plugins = root.pluginsDirectory != null ? root.pluginsDirectory : PluginRegistry.defaultPluginsDirectory();
        var executor = ExecutorProviders.load().require("spark", "Spark adapter (module executor-spark)")
                .create(new ExecutorContext(settings, plugins, root.dataDirectory(), progress));
        return new ExperimentRunner(registry, root.dataDirectory(), progress, Report::write, executor);
    }
}
