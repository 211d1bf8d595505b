package org.modelbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the module path, as users run it. */
class CommandLineTest {
    @TempDir
    Path work;

    private static Path helloJar() throws Exception {
        try (Stream<Path> jars = Files.list(ModelbenchProcess.PLUGIN_JARS)) {
            return jars.filter(p -> p.getFileName().toString().startsWith("hello-plugin")).findFirst().orElseThrow();
        }
    }

    private static void assertNoStackTrace(ModelbenchProcess.Result r) {
        assertFalse(r.err().contains("\tat "), "stack trace printed:\n" + r);
        assertFalse(r.err().contains("Exception"), "exception class printed:\n" + r);
    }

    @Test
    void pluginsListsTheBuiltInProvidersWithTheirModulesAndJars() throws Exception {
        var r = ModelbenchProcess.run(work, 60, "plugins");
        assertEquals(0, r.exitCode(), r::toString);
        for (String expected : List.of("dataset", "mnist", "fashion-mnist", "org.modelbench.data",
                "modelbench-data-0.1.0-SNAPSHOT.jar", "org.modelbench.engine", "seed-cnn", "cnn1d", "org.modelbench.tribuo",
                "tribuo-random-forest", "org.modelbench.onnx", "onnx-transfer")) {
            assertTrue(r.out().contains(expected), () -> "missing " + expected + "\n" + r);
        }
    }

    @Test
    void sequenceLayersLoadOnTheModulePathAndImageFamiliesRefuseTableRows() throws Exception {
        var summary = ModelbenchProcess.run(work, 60, "model", "summary", "cnn1d", "--input-shape", "3x100");
        assertEquals(0, summary.exitCode(), summary::toString);
        for (String expected : List.of("conv1d_1", "maxpool1d_1", "conv1d_2", "global-avgpool_1", "64x25")) {
            assertTrue(summary.out().contains(expected), () -> "missing " + expected + "\n" + summary);
        }
        var table = ModelbenchProcess.run(work, 60, "model", "summary", "seed-cnn", "--input-shape", "4");
        assertEquals(2, table.exitCode(), table::toString);
        assertEquals(1, table.err().strip().lines().count(), table::toString);
        assertTrue(table.err().contains("model seed-cnn needs image samples [channels, height, width], but the data's "
                + "samples are 4 (a table row of 4 features)"), table::toString);
        assertNoStackTrace(table);
    }

    /** The test accuracy in a trial's metrics.json. */
    private static double accuracy(Path metricsJson) throws Exception {
        String metrics = Files.readString(metricsJson);
        var accuracy = java.util.regex.Pattern.compile("\"accuracy\"\\s*:\\s*([0-9.]+)").matcher(metrics);
        assertTrue(accuracy.find(), metrics);
        return Double.parseDouble(accuracy.group(1));
    }

    @Test
    void aPluginJarDroppedIntoPluginsIsListed() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path jar = Files.copy(helloJar(), plugins.resolve("hello-plugin.jar"));
        var r = ModelbenchProcess.run(work, 60, "plugins");
        assertEquals(0, r.exitCode(), r::toString);
        String line = r.out().lines().filter(l -> l.contains("hello-nearest-centroid")).findFirst().orElse("");
        assertTrue(line.contains("model-family") && line.contains("org.modelbench.examples.hello")
                && line.contains(jar.toAbsolutePath().toString()), r::toString);
    }

    @Test
    void aPluginJarDroppedIntoPluginsTrainsAndEvaluatesInAManifest() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(helloJar(), plugins.resolve("hello-plugin.jar"));
        Path manifest = work.resolve("hello.yaml");
        Files.writeString(manifest, """
                name: hello
                description: The example plugin's nearest-centroid family beside the engine's logreg.
                dataset: {id: mnist, trainSize: 2000, testSize: 1000, preprocessing: {rescale: 255}}
                models:
                  - {id: centroid, family: hello-nearest-centroid, params: {sharpness: 5}}
                  - {id: logreg, family: logreg, params: {epochs: 2}}
                seeds: [1]
                outputs: {directory: runs}
                """);
        var r = ModelbenchProcess.run(work, 300, "run", manifest.toString());
        assertEquals(0, r.exitCode(), r::toString);
        Path bundle;
        try (Stream<Path> bundles = Files.list(work.resolve("runs/hello"))) {
            bundle = bundles.findFirst().orElseThrow();
        }
        // Nearest centroid reaches about 80% on MNIST: far above chance, far below a CNN.
        double value = accuracy(bundle.resolve("trials/centroid/seed-1/metrics.json"));
        assertTrue(value > 0.7 && value < 0.9, "nearest-centroid accuracy " + value);
        assertTrue(Files.readString(bundle.resolve("report.md")).contains("hello-nearest-centroid"));
        var reproduce = ModelbenchProcess.run(work, 300, "reproduce", bundle.toString());
        assertEquals(0, reproduce.exitCode(), reproduce::toString);
    }

    @Test
    void aPluginLayerIsUsableInAnEngineModelAndItsSavedModel() throws Exception {
        Path manifest = work.resolve("swish.yaml");
        Files.writeString(manifest, """
                name: swish
                description: A small CNN whose activation is the example plugin's hello-swish layer.
                dataset: {id: mnist, trainSize: 2000, testSize: 1000, preprocessing: {rescale: 255}}
                models:
                  - id: swish-cnn
                    family: cnn
                    params:
                      epochs: 4
                      optimizer: {type: adam, learningRate: 0.005}
                      layers:
                        - {type: conv2d, filters: 8, kernel: 3}
                        - {type: hello-swish, beta: 1.5}
                        - {type: maxpool2d, pool: 2}
                        - {type: flatten}
                        - {type: dense, units: 10, activation: softmax}
                seeds: [1]
                outputs: {directory: runs}
                """);
        // without the plugin: a usage error naming the layer and the known types, nothing written
        var missing = ModelbenchProcess.run(work, 120, "run", manifest.toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("hello-swish") && missing.err().contains("unknown layer type")
                && missing.err().contains("conv2d"), missing::toString);
        assertNoStackTrace(missing);
        assertFalse(Files.exists(work.resolve("runs/swish")), "a bad manifest writes nothing");

        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(helloJar(), plugins.resolve("hello-plugin.jar"));
        var listed = ModelbenchProcess.run(work, 60, "plugins");
        assertTrue(listed.out().lines().anyMatch(l -> l.contains("hello-swish") && l.contains("layer")), listed::toString);
        var r = ModelbenchProcess.run(work, 300, "run", manifest.toString());
        assertEquals(0, r.exitCode(), r::toString);
        Path bundle;
        try (Stream<Path> bundles = Files.list(work.resolve("runs/swish"))) {
            bundle = bundles.findFirst().orElseThrow();
        }
        double value = accuracy(bundle.resolve("trials/swish-cnn/seed-1/metrics.json"));
        // 90.2% when written (the same network with the built-in relu: 90.6%)
        assertTrue(value > 0.85, "swish CNN accuracy after four epochs on 2,000 digits: " + value);
        // the saved model reloads with the plugin's layer in it
        var summary = ModelbenchProcess.run(work, 60, "model", "summary",
                bundle.resolve("trials/swish-cnn/seed-1/model").toString());
        assertEquals(0, summary.exitCode(), summary::toString);
        assertTrue(summary.out().contains("hello-swish"), summary::toString);
        var reproduce = ModelbenchProcess.run(work, 300, "reproduce", bundle.toString());
        assertEquals(0, reproduce.exitCode(), reproduce::toString);
    }

    @Test
    void aBrokenPluginJarIsSkippedWithAWarningWhileTheOthersLoad() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("my-plugins"));
        Files.copy(helloJar(), plugins.resolve("hello-plugin.jar"));
        Files.writeString(plugins.resolve("broken.jar"), "this is not a zip file");
        var r = ModelbenchProcess.run(work, 60, "--plugins-dir", plugins.toString(), "plugins");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("warning: skipped plugin " + plugins.resolve("broken.jar")), r::toString);
        assertTrue(r.out().contains("hello-nearest-centroid"), r::toString);
        assertTrue(r.out().contains("1 plugin jar(s) skipped"), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void aDuplicateIdFailsFastNamingBothJars() throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.copy(helloJar(), plugins.resolve("a.jar"));
        Files.copy(helloJar(), plugins.resolve("b.jar"));
        var r = ModelbenchProcess.run(work, 60, "plugins");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("duplicate model-family id 'hello-nearest-centroid'"), r::toString);
        assertTrue(r.err().contains(plugins.resolve("a.jar").toString())
                && r.err().contains(plugins.resolve("b.jar").toString()), r::toString);
        assertNoStackTrace(r);
    }

    @Test
    void datasetsShowsMnistAndFashionMnist() throws Exception {
        var r = ModelbenchProcess.run(work, 60, "datasets");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("mnist ") && l.contains("60000") && l.contains("10000")),
                r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fashion-mnist ")), r::toString);
    }

    @Test
    void inspectingARealIdxFileShowsItsStatistics() throws Exception {
        var fetch = ModelbenchProcess.run(work, 300, "data", "fetch", "mnist");
        assertEquals(0, fetch.exitCode(), fetch::toString);
        Path labels = fetch.out().lines().filter(l -> l.contains("train-labels-idx1-ubyte"))
                .map(l -> Path.of(l.split("  ")[0])).findFirst().orElseThrow();
        var r = ModelbenchProcess.run(work, 60, "data", "inspect", labels.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("labels: 60000"), r::toString);
        assertTrue(r.out().contains("    1: 6742"), r::toString);
        var images = ModelbenchProcess.run(work, 60, "data", "inspect",
                labels.resolveSibling("train-images-idx3-ubyte").toString());
        assertTrue(images.out().contains("scaled: mean 0.1307, std 0.3081"), images::toString);
    }

    @Test
    void aBadDataFileIsOneLineAndExitCode2() throws Exception {
        Path bad = work.resolve("t10k-images-idx3-ubyte");
        Files.write(bad, new byte[] {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        var r = ModelbenchProcess.run(work, 60, "data", "inspect", bad.toString());
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("modelbench: error: " + bad + " at byte 19: truncated: the header declares 10x28x28 = 7840 "
                + "values, so the file should be 7856 bytes, but it is 19 bytes", r.err().strip());
        assertNoStackTrace(r);
    }

    @Test
    void usageErrorsExit2AndHelpListsTheExitCodes() throws Exception {
        var help = ModelbenchProcess.run(work, 60, "--help");
        assertEquals(0, help.exitCode(), help::toString);
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("bad input or usage"), help::toString);
        var unknown = ModelbenchProcess.run(work, 60, "--no-such-option");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        var dataset = ModelbenchProcess.run(work, 60, "data", "fetch", "cifar-10");
        assertEquals(2, dataset.exitCode(), dataset::toString);
        assertTrue(dataset.err().contains("unknown dataset 'cifar-10'; known: breast-cancer, csv, digits, fashion-mnist, "
                + "image-folder, iris, mnist, npy, npz, wine"), dataset::toString);
        var version = ModelbenchProcess.run(work, 60, "--version");
        assertTrue(version.out().startsWith("modelbench 0.1.0-SNAPSHOT"), version::toString);
    }
}
