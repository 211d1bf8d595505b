package org.modelbench.app.cli;

import java.nio.file.Path;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.data.DataCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code modelbench} command: options shared by every subcommand, and the subcommands. */
@Command(name = "modelbench",
        mixinStandardHelpOptions = true,
        versionProvider = ModelbenchCommand.Version.class,
        description = "Compare machine-learning model families on real data, reproducibly.",
        subcommands = {PluginsCommand.class, DatasetsCommand.class, DataCommand.class, ModelCommand.class,
                RunCommand.class, TrialCommand.class, StatusCommand.class, ReportCommand.class, ReproduceCommand.class, PredictCommand.class, ExplainCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:failure (a bug, an I/O error, a diverged training run)",
                "2:bad input or usage (malformed file, invalid manifest field, unknown option)",
                "3:reproduce: the rerun differs from the bundle"},
        footer = {"", "Environment: MODELBENCH_DATA (dataset cache, default ~/.modelbench/data),",
                "MODELBENCH_PLUGINS (plugin jars, default ./plugins), MODELBENCH_DEBUG=1 (stack traces)."})
public final class ModelbenchCommand {

    @Option(names = "--plugins-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Folder of plugin jars (default: $MODELBENCH_PLUGINS or ./plugins).")
    Path pluginsDirectory;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Dataset cache (default: $MODELBENCH_DATA or ~/.modelbench/data).")
    Path dataDirectory;

    @Option(names = "--max-memory", scope = ScopeType.INHERIT, paramLabel = "SIZE",
            converter = MemorySize.class,
            description = "Memory budget that models are checked against before anything runs, and that "
                    + "transfer models size their passes from, e.g. 1500m or 2g (default: the JVM's maximum heap).")
    Long maxMemoryBytes;

    private final PluginRegistry registry;

    ModelbenchCommand(PluginRegistry registry) {
        this.registry = registry;
    }

    /**
     * The plugin registry (loaded by {@link Cli} from {@code --plugins-dir} before parsing, so that
     * plugins can add commands; warnings about skipped jars were printed then).
     */
    PluginRegistry registry() {
        return maxMemoryBytes == null ? registry : registry.withMemoryBudget(maxMemoryBytes);
    }

    /** The dataset cache folder. */
    Path dataDirectory() {
        return dataDirectory != null ? dataDirectory.toAbsolutePath() : DataCache.defaultDirectory();
    }

    /** Version of the app module and the runtime. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ModelbenchCommand.class.getModule().getDescriptor() != null
                    ? ModelbenchCommand.class.getModule().getDescriptor().rawVersion().orElse("dev")
                    : java.util.Objects.requireNonNullElse(
                            ModelbenchCommand.class.getPackage().getImplementationVersion(), "dev");
            return new String[] {"modelbench " + version,
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
