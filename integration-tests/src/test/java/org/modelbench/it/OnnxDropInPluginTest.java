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

/**
 * The ONNX plugin as a drop-in plugin: the application runs on a module path without it (and
 * without the benchmarks, which build on its export API), and the plugin comes from
 * {@code plugins/onnx/}, a folder holding its jar and the libraries only it needs (ONNX Runtime, jHDF
 * and the modules jHDF uses), loaded in its own module layer. Its families and command are listed from there, and its
 * {@code export} command reads an engine model through the catalogue handed to it and runs the
 * export with ONNX Runtime's native library.
 */
class OnnxDropInPluginTest {
    /**
     * Jars that move from the module path into the plugin folder: the plugin, and the libraries only
     * it needs (ONNX Runtime; jHDF for Keras files, with the SLF4J and Commons Lang modules it uses).
     */
    private static final List<String> PLUGIN_FILES = List.of("modelbench-plugin-onnx-", "onnxruntime-", "jhdf-",
            "slf4j-", "commons-lang3-");
    /** Jars left out of the module path because they require the plugin. */
    private static final List<String> DEPENDENTS = List.of("modelbench-benchmarks-");

    @TempDir
    Path work;

    private static boolean startsWithAny(Path file, List<String> prefixes) {
        return prefixes.stream().anyMatch(file.getFileName().toString()::startsWith);
    }

    @Test
    void theOnnxPluginLoadsFromThePluginsFolderAndExportsAnEngineModel() throws Exception {
        Path modules = Files.createDirectories(work.resolve("modules"));
        Path plugin = Files.createDirectories(work.resolve("plugins/onnx"));
        try (Stream<Path> jars = Files.list(ModelbenchProcess.APP_MODULES)) {
            for (Path jar : jars.toList()) {
                if (startsWithAny(jar, PLUGIN_FILES)) {
                    Files.copy(jar, plugin.resolve(jar.getFileName()));
                } else if (!startsWithAny(jar, DEPENDENTS)) {
                    Files.copy(jar, modules.resolve(jar.getFileName()));
                }
            }
        }
        // one jar for each prefix (slf4j: the api and its no-op binding)
        assertEquals(PLUGIN_FILES.size() + 1, plugin.toFile().list().length,
                "the plugin folder holds the plugin and its own libraries: " + List.of(plugin.toFile().list()));

        var listed = ModelbenchProcess.run(modules, work, 60, "plugins");
        assertEquals(0, listed.exitCode(), listed::toString);
        for (String id : List.of("onnx-transfer", "onnx ")) {
            String line = listed.out().lines().filter(l -> l.contains(id) && l.contains("org.modelbench.onnx"))
                    .findFirst().orElse("");
            assertTrue(line.contains(plugin.toAbsolutePath().toString()), () -> id + " from the plugin folder:\n" + listed);
        }

        // without the folder the plugin is gone: its command is unknown
        var without = ModelbenchProcess.run(modules, work, 60, "--plugins-dir", work.resolve("none").toString(),
                "plugins");
        assertEquals(0, without.exitCode(), without::toString);
        assertFalse(without.out().contains("onnx-transfer"), without::toString);

        Path manifest = work.resolve("tiny.yaml");
        Files.writeString(manifest, """
                name: tiny
                description: A small engine model to export with the drop-in ONNX plugin.
                dataset: {id: mnist, trainSize: 500, testSize: 200, preprocessing: {rescale: 255}}
                models:
                  - {id: lr, family: logreg, params: {epochs: 1}}
                seeds: [1]
                outputs: {directory: runs}
                """);
        var run = ModelbenchProcess.run(modules, work, 300, "run", manifest.toString());
        assertEquals(0, run.exitCode(), run::toString);
        Path bundle;
        try (Stream<Path> bundles = Files.list(work.resolve("runs/tiny"))) {
            bundle = bundles.findFirst().orElseThrow();
        }
        Path onnx = work.resolve("lr.onnx");
        var export = ModelbenchProcess.run(modules, work, 120, "onnx", "export",
                bundle.resolve("trials/lr/seed-1/model").toString(), "--output", onnx.toString());
        assertEquals(0, export.exitCode(), export::toString);
        assertTrue(export.out().contains("ONNX Runtime vs the engine") && export.out().contains("(ok)"), export::toString);
        assertTrue(Files.size(onnx) > 7840 * 4, "the exported weights are in the file: " + Files.size(onnx));
    }
}
