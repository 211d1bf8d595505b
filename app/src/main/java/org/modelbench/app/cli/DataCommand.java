package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.api.spi.DatasetProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench data fetch|inspect}. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch datasets and inspect data files.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Inspect.class})
final class DataCommand {
    @ParentCommand
    ModelbenchCommand root;

    /** {@code modelbench data fetch NAME}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch a dataset into the cache, verifying every file's SHA-256.")
    static final class Fetch implements Callable<Integer> {
        @ParentCommand
        DataCommand data;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "Dataset id, e.g. mnist or fashion-mnist.")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DatasetProvider provider = data.root.registry().requireDataset(name);
            Path cache = data.root.dataDirectory();
            boolean already = provider.isCached(cache);
            provider.fetch(cache, line -> {
                out.println(line);
                out.flush();
            });
            for (DatasetProvider.CachedFile f : provider.files(cache)) {
                out.println(f.path() + "  sha256 " + f.sha256());
            }
            out.println(name + (already ? " was already cached" : " fetched and verified"));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code modelbench data inspect PATH}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show a data file's or folder's shape, class counts and statistics: IDX (plain or gzip), "
                    + "CSV tables (per-column min/max/mean, missing values), NumPy .npy/.npz, image folders "
                    + "(images per class, size histogram).")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "An IDX file, a .csv/.tsv(.gz), a .npy/.npz, or a folder with "
                + "one subfolder of images per class.")
        Path file;

        @Option(names = "--label", paramLabel = "COLUMN", description = "A table's class column, to count its classes.")
        String label;

        @Override
        public Integer call() {
            new DataInspection(spec.commandLine().getOut()).inspect(file, label);
            return ExitCodes.OK;
        }
    }
}
