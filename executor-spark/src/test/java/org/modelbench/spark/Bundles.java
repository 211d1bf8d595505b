package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.modelbench.app.executor.ExecutorContext;
import org.modelbench.app.executor.SparkSettings;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.report.Report;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.Differences;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Json;
import org.modelbench.app.run.LocalExecutor;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialExecutor;
import org.modelbench.data.DataCache;
import org.modelbench.testkit.OptionalMaterial;

/** The tests' manifest (real families on real MNIST, small), its runs and their comparison. */
final class Bundles {
    /** Four real families (the quickstart's, smaller), two seeds: 8 trials of a few seconds each. */
    static final String MANIFEST = resource("spark-small.yaml");


    private Bundles() {
    }

    /** A finished run. */
    record Run(Bundle bundle) {
    }

    private static String resource(String name) {
        try (var in = Bundles.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static PluginRegistry registry() {
        return PluginRegistry.load(null, w -> { });
    }

    static Function<Progress, TrialExecutor> localJobs(int jobs) {
        return progress -> new LocalExecutor(jobs);
    }

    static Function<Progress, TrialExecutor> spark(SparkSettings settings, PrintWriter out) {
        return progress -> new SparkTrialExecutor(new ExecutorContext(settings, PluginRegistry.defaultPluginsDirectory(),
                DataCache.defaultDirectory(), new Progress(out, false)));
    }

    /** Writes the manifest into {@code project} (failing in CI, skipping elsewhere, without MNIST). */
    static Path writeManifest(Path project) throws IOException {
        OptionalMaterial.require(Files.isDirectory(DataCache.defaultDirectory().resolve("mnist")),
                "MNIST is not in " + DataCache.defaultDirectory() + " (modelbench datasets fetch mnist)");
        Files.createDirectories(project);
        Path manifest = project.resolve("spark-small.yaml");
        Files.writeString(manifest, MANIFEST);
        return manifest;
    }

    /** The one bundle of the manifest under {@code project}. */
    static Bundle only(Path project) throws IOException {
        return only(project, "spark-small");
    }

    /** The one bundle of manifest {@code name} under {@code project}. */
    static Bundle only(Path project, String name) throws IOException {
        try (Stream<Path> s = Files.list(project.resolve("runs").resolve(name))) {
            List<Path> bundles = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            assertEquals(1, bundles.size(), bundles.toString());
            return new Bundle(bundles.get(0));
        }
    }

    /** Runs the manifest into {@code project} with the executor {@code executor} makes. */
    static Run run(Path project, Function<Progress, TrialExecutor> executor) throws IOException {
        Path manifest = writeManifest(project);
        PluginRegistry registry = registry();
        ExperimentPlan plan = new ManifestLoader(registry, DataCache.defaultDirectory()).load(manifest);
        Progress progress = new Progress(new PrintWriter(System.out, true), false);
        ExperimentRunner runner = new ExperimentRunner(registry, DataCache.defaultDirectory(), progress, Report::write,
                executor.apply(progress));
        return new Run(runner.run(plan, project));
    }

    /** Metrics (timings aside), learning curves, predictions and model checksums of every trial are equal. */
    static void assertSameResults(Bundle expected, Bundle actual) throws IOException {
        List<String> ids = trialIds(expected);
        assertEquals(8, ids.size(), ids.toString());
        assertEquals(ids, trialIds(actual));
        for (String id : ids) {
            for (String file : List.of(Bundle.METRICS, Bundle.CURVE, Bundle.PREDICTIONS, "preprocessing.json")) {
                Path rel = Path.of("trials", id, file);
                Object a = Json.MAPPER.readValue(Files.readString(expected.root().resolve(rel)), Object.class);
                Object b = Json.MAPPER.readValue(Files.readString(actual.root().resolve(rel)), Object.class);
                assertEquals(List.of(), Differences.ofResults(a, b, Set.of("files")), rel.toString());
            }
            assertEquals(org.modelbench.app.run.DirectoryHash.fileHashes(expected.root().resolve("trials/" + id + "/model")),
                    org.modelbench.app.run.DirectoryHash.fileHashes(actual.root().resolve("trials/" + id + "/model")), id);
        }
    }

    static List<String> trialIds(Bundle bundle) throws IOException {
        if (!Files.isDirectory(bundle.root().resolve("trials"))) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(bundle.root().resolve("trials"))) {
            return walk.filter(p -> p.getFileName().toString().equals(Bundle.METRICS))
                    .map(p -> bundle.root().resolve("trials").relativize(p.getParent()).toString()).sorted().toList();
        }
    }
}
