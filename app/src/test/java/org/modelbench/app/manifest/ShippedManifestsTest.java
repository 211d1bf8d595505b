package org.modelbench.app.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.RecordBinder;
import org.modelbench.app.CliRun;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.testkit.OptionalMaterial;

/** The manifests in {@code experiments/}, the quickstart end to end, and the JSON Schema kept in sync. */
class ShippedManifestsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path QUICKSTART = ROOT.resolve("experiments/mnist-quickstart.yaml");
    static final Path LABS = ROOT.resolve("experiments/mnist-labs.yaml");
    static final Path SEEING = ROOT.resolve("experiments/mnist-seeing-inside.yaml");

    @TempDir
    Path project;

    @Test
    void shippedManifestsBindAndNameMissingFamiliesClearly() throws IOException {
        PluginRegistry registry = PluginRegistry.load(null, w -> { });
        for (Path file : List.of(QUICKSTART, LABS, SEEING)) {
            SourceTree tree = SourceTree.parse(file.getFileName().toString(), Files.readString(file));
            Manifest manifest = RecordBinder.bind(tree.root(), Manifest.class, "");
            assertEquals("mnist", manifest.dataset().id());
            CliRun check = CliRun.of("run", "--check", file.toString(), "--project-dir", project.toString());
            List<String> missing = manifest.models().stream().map(ModelSpec::family)
                    .filter(f -> registry.family(f).isEmpty()).distinct().toList();
            if (missing.isEmpty()) {
                assertEquals(0, check.exitCode(), check.err());
            } else {
                assertEquals(2, check.exitCode(), check.err());
                assertTrue(check.err().matches("(?s)modelbench: error: " + file.getFileName()
                        + ":\\d+:\\d+ models\\[\\d+]\\.family: unknown model family '" + missing.get(0) + "'.*"),
                        check.err());
            }
        }
        Manifest labs = RecordBinder.bind(SourceTree.parse("labs", Files.readString(LABS)).root(), Manifest.class, "");
        assertEquals(List.of(1L, 2L, 3L), labs.seeds());
        assertEquals(Set.of("logreg", "mlp", "tribuo-random-forest", "seed-cnn"),
                Set.copyOf(labs.models().stream().map(ModelSpec::family).toList()));
        assertEquals(1.0, labs.models().get(0).effectivePreprocessing(labs.dataset()).rescale(), "raw pixels");
        assertEquals(255.0, labs.models().get(1).effectivePreprocessing(labs.dataset()).rescale(), "rescaled");
        Manifest seeing = RecordBinder.bind(SourceTree.parse("seeing", Files.readString(SEEING)).root(), Manifest.class,
                "");
        assertEquals(Robustness.DEFAULT_EPSILONS, seeing.robustness().epsilons());
        assertEquals("seed-cnn", seeing.robustness().surrogate());
        assertTrue(seeing.models().get(1).effectivePreprocessing(seeing.dataset()).augmentation().enabled());
        assertTrue(!seeing.models().get(0).effectivePreprocessing(seeing.dataset()).augmentation().enabled());
    }

    @Test
    void tabularClassicsManifestsCheckWithTenFoldsAndThreeSeeds() {
        for (String table : List.of("iris", "wine", "breast-cancer", "digits")) {
            Path file = ROOT.resolve("experiments/tabular-classics-" + table + ".yaml");
            CliRun check = CliRun.of("run", "--check", file.toString(), "--project-dir", project.toString());
            assertEquals(0, check.exitCode(), check.err());
            assertTrue(check.out().contains("OK: 5 model(s) x 3 seed(s)"), check.out());
        }
    }

    /** The suite of the four tables: each with 10 folds, the five families, 3 seeds, ids prefixed by the table. */
    @Test
    void tabularClassicsSuiteChecksFourTablesAndMatchesThePerTableManifests() throws IOException {
        Path file = ROOT.resolve("experiments/tabular-classics.yaml");
        CliRun check = CliRun.of("run", "--check", file.toString(), "--project-dir", project.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("OK: 5 model(s) x 3 seed(s) on 4 datasets = 600 trials"), check.out());
        for (String table : List.of("iris", "wine", "breast-cancer", "digits")) {
            assertTrue(check.out().contains("  " + table + ": 5 model(s) x 3 seed(s) x 10 folds = 150 trials"),
                    check.out());
        }
        Manifest suite = RecordBinder.bind(SourceTree.parse("suite", Files.readString(file)).root(), Manifest.class, "");
        assertTrue(suite.suite());
        Manifest wine = RecordBinder.bind(SourceTree.parse("wine", Files.readString(
                ROOT.resolve("experiments/tabular-classics-wine.yaml"))).root(), Manifest.class, "");
        assertEquals(wine.seeds(), suite.seeds());
        assertEquals(wine.models().stream().map(ModelSpec::family).toList(),
                suite.models().stream().map(ModelSpec::family).toList());
        assertEquals(wine.dataset().labelled("wine"), suite.datasets().get(1));
    }

    /** The README's first command end to end: quickstart -> bundle -> reproduce -> identical, exit 0. */
    @Test
    void quickstartRunsAndReproducesIdentically() throws IOException {
        PluginRegistry registry = PluginRegistry.load(null, w -> { });
        Manifest quickstart = RecordBinder.bind(SourceTree.parse("q", Files.readString(QUICKSTART)).root(),
                Manifest.class, "");
        List<String> missing = quickstart.models().stream().map(ModelSpec::family)
                .filter(f -> registry.family(f).isEmpty()).toList();
        OptionalMaterial.require(missing.isEmpty(), "quickstart end to end: model families not on the class path: "
                + missing);
        CliRun run = CliRun.of("run", QUICKSTART.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> s = Files.list(project.resolve("runs/mnist-quickstart"))) {
            bundle = s.findFirst().orElseThrow();
        }
        assertTrue(Files.isRegularFile(bundle.resolve("report.html")));
        CliRun reproduce = CliRun.of("reproduce", bundle.toString());
        assertEquals(0, reproduce.exitCode(), reproduce.out() + reproduce.err());
        assertTrue(reproduce.out().contains("verdict: IDENTICAL"), reproduce.out());
    }

    @Test
    void jsonSchemaListsExactlyTheRecordsKeys() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(ROOT.resolve("docs/manifest.schema.json").toFile());
        Map<String, Class<? extends Record>> parts = Map.ofEntries(Map.entry("", Manifest.class),
                Map.entry("dataset", DatasetSpec.class), Map.entry("idxFiles", IdxFiles.class),
                Map.entry("preprocessing", Preprocessing.class), Map.entry("augmentation", Augmentation.class),
                Map.entry("model", ModelSpec.class), Map.entry("trainer", TrainerSettings.class),
                Map.entry("search", SearchSpec.class),
                Map.entry("outputs", Outputs.class), Map.entry("robustness", Robustness.class),
                Map.entry("executor", ExecutorSettings.class), Map.entry("slurm", SlurmSettings.class),
                Map.entry("spark", org.modelbench.app.executor.SparkSettings.class),
                Map.entry("csvParams", org.modelbench.data.config.CsvConfig.class),
                Map.entry("imageFolderParams", org.modelbench.data.config.ImageFolderConfig.class),
                Map.entry("npyParams", org.modelbench.data.config.NpyConfig.class),
                Map.entry("npzParams", org.modelbench.data.config.NpzConfig.class));
        parts.forEach((def, type) -> {
            JsonNode node = def.isEmpty() ? schema : schema.get("$defs").get(def);
            Set<String> documented = new TreeSet<>();
            node.get("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> actual = new TreeSet<>(Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getName).toList());
            assertEquals(actual, documented, "schema " + (def.isEmpty() ? "top level" : def));
            assertTrue(!node.get("additionalProperties").asBoolean(), def);
        });
        String doc = Files.readString(ROOT.resolve("docs/manifest.md"));
        for (String metric : Manifest.KNOWN_METRICS) {
            assertTrue(doc.contains("`" + metric + "`"), metric);
        }
    }
}
