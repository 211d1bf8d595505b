package org.modelbench.tribuo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.config.RandomForestConfig;

/**
 * A measurement, not a test: trains {@code tribuo-random-forest} on MNIST and prints test accuracy,
 * the dataset adapter's cost against training time, prediction time, save/load times and the
 * process's peak resident memory (VmHWM).
 *
 * <p>Arguments: {@code [trainRows=60000] [trees=100] [seed=1] [featureFraction] [minChildWeight] [threads=2]}. Run from the repository root with
 * {@code mvn -q -o -pl plugin-tribuo -am test-compile} and then
 * {@code java -Xmx6g -cp <test classpath> org.modelbench.tribuo.FullMnistForest}.
 */
public final class FullMnistForest {
    private FullMnistForest() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        int trees = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Double featureFraction = args.length > 3 ? Double.valueOf(args[3]) : null;
        Double minChildWeight = args.length > 4 ? Double.valueOf(args[4]) : null;
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        Dataset train = MnistSubsets.train(rows);
        Dataset test = MnistSubsets.full().test();


        RandomForestConfig config = new RandomForestConfig(trees, null, featureFraction, minChildWeight, null);
        long start = System.nanoTime();
        RunContext context = new RunContext(seed, threads, List.of(event -> {
            if (event instanceof TrainingEvent.BatchFinished b && (b.batch() % 10 == 0 || b.batch() == 1)) {
                System.out.printf("  tree %d/%d after %.1f s%n", b.batch(), b.batches(),
                        (System.nanoTime() - start) / 1e9);
            }
        }), Path.of(System.getProperty("java.io.tmpdir")));
        Model model = new RandomForestProvider().trainer(config, ProviderContext.empty()).train(train, Optional.empty(), context);
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        long p0 = System.nanoTime();
        Evaluation evaluation = Evaluation.of(model, test, 2048);
        double predictSeconds = (System.nanoTime() - p0) / 1e9;

        var details = model.provenance().details();
        System.out.printf("config: %s, seed %d, train rows %,d%n", config, seed, rows);
        System.out.printf("train (adapter + fit): %.1f s; adapter inside training %s ms, fit %s ms%n", trainSeconds,
                details.get("adapter.millis"), details.get("fit.millis"));
        System.out.printf("nodes: %,d%n", model.parameterCount());
        System.out.printf("test accuracy: %.4f (log loss %.4f) on %,d rows; prediction %.1f s%n",
                evaluation.accuracy(), evaluation.logLoss(), test.size(), predictSeconds);
        System.out.println("peak RSS after training and evaluation: " + peakRss());
        Path dir = Files.createTempDirectory("tribuo-forest");
        long s0 = System.nanoTime();
        model.save(dir);
        double saveSeconds = (System.nanoTime() - s0) / 1e9;
        // The trained forest must be unreachable before loading: two 100-tree MNIST forests do not
        // fit together in a 5 GB heap.
        var reference = model.predictProbabilities(test.features().slice(0, 1000));
        model = null;
        long l0 = System.nanoTime();
        Model loaded = new RandomForestProvider().load(dir, ProviderContext.empty());
        double loadSeconds = (System.nanoTime() - l0) / 1e9;
        boolean same = loaded.predictProbabilities(test.features().slice(0, 1000)).equals(reference);

        System.out.printf("save %.1f s, load %.1f s, %,d bytes; reload identical on 1,000 rows: %s%n", saveSeconds,
                loadSeconds, Files.size(dir.resolve("tribuo-model.pb.gz")), same);
        System.out.println("peak RSS after save and load: " + peakRss());
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /** The process's peak resident set size, from /proc/self/status (Linux). */
    private static String peakRss() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.substring("VmHWM:".length()).trim()).findFirst().orElse("unknown");
    }
}
