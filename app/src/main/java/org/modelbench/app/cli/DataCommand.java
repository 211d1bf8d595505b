package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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

    /** {@code modelbench data inspect FILE}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show an IDX file's shape, label counts or pixel statistics (plain or gzip).")
    static final class Inspect implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "An IDX file, e.g. train-images-idx3-ubyte(.gz).")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            IdxArray idx = IdxReader.read(file);
            int[] dims = idx.dims();
            out.println("file:   " + file);
            out.println("shape:  " + String.join("x", Arrays.stream(dims).mapToObj(String::valueOf).toList())
                    + " (unsigned bytes, rank " + dims.length + ")");
            if (dims.length == 1) {
                int[] counts = new int[256];
                int max = 0;
                for (int i = 0; i < idx.values().length; i++) {
                    int v = idx.unsigned(i);
                    counts[v]++;
                    max = Math.max(max, v);
                }
                out.println("labels: " + idx.count());
                for (int v = 0; v <= max; v++) {
                    out.printf("  %3d: %d%n", v, counts[v]);
                }
            } else {
                byte[] values = idx.values();
                long sum = 0;
                double sumSquares = 0;
                int min = 255;
                int max = 0;
                long nonZero = 0;
                for (byte b : values) {
                    int v = b & 0xFF;
                    sum += v;
                    sumSquares += (double) v * v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    if (v != 0) {
                        nonZero++;
                    }
                }
                double mean = (double) sum / values.length;
                double std = Math.sqrt(Math.max(0, sumSquares / values.length - mean * mean));
                out.println("items:  " + idx.count() + " of " + (values.length / idx.count()) + " values each");
                out.printf("pixels: min %d, max %d, mean %.4f, std %.4f, non-zero %.2f%%%n", min, max, mean, std,
                        100.0 * nonZero / values.length);
                out.printf("scaled: mean %.4f, std %.4f (after dividing by 255)%n", mean / 255, std / 255);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
