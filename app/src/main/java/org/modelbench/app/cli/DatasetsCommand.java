package org.modelbench.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.app.plugins.Registered;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench datasets}: known datasets, whether they are cached, and their sizes. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "List known datasets: cached or not, rows, sample shape, classes, bytes on disk, source.")
final class DatasetsCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var cache = root.dataDirectory();
        TextTable table = new TextTable("ID", "CACHED", "TRAIN", "TEST", "SAMPLE", "CLASSES", "ON DISK", "SOURCE");
        for (Registered<DatasetProvider> r : root.registry().datasets()) {
            DatasetProvider p = r.provider();
            if (p.configType() != org.modelbench.api.spi.NoParams.class) {
                table.row(p.id(), "-", "-", "-", "-", "-", "-", "format (dataset.params): " + p.description());
                continue;
            }
            DatasetProvider.Info info = p.info();
            boolean cached = p.isCached(cache);
            long bytes = 0;
            for (DatasetProvider.CachedFile f : p.files(cache)) {
                try {
                    bytes += Files.isRegularFile(f.path()) ? Files.size(f.path()) : 0;
                } catch (IOException e) {
                    // a file that vanished counts as absent
                }
            }
            table.row(p.id(), cached ? "yes" : "no", info.trainSize(), info.testSize(), info.sampleShape(),
                    info.classNames().size(), cached ? String.format("%.1f MB", bytes / 1e6) : "-", info.source());
        }
        out.print(table.render());
        out.println("cache: " + cache);
        out.flush();
        return ExitCodes.OK;
    }
}
