package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.testkit.OptionalMaterial;

/** ONNX's own node tests (Debian package libonnx-testdata) through the native import. */
class ConformanceTest {
    static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");

    /** Tests whose expected outputs come from a random dropout mask no implementation can reproduce. */
    private static final List<String> RANDOM_OUTPUTS = List.of("test_training_dropout", "test_training_dropout_default",
            "test_training_dropout_default_mask", "test_training_dropout_mask");

    @Test
    void everyNodeTestOfASupportedOperatorPasses() {
        OptionalMaterial.require(Files.isDirectory(NODE_TESTS), "libonnx-testdata not installed (" + NODE_TESTS + ")");
        int supported = 0;
        int passed = 0;
        List<String> failures = new ArrayList<>();
        for (Path folder : Conformance.testFolders(NODE_TESTS)) {
            List<Conformance.Row> rows = Conformance.run(folder, false);
            if (rows.isEmpty() || !rows.stream().allMatch(Conformance.Row::supported)) {
                continue;
            }
            supported++;
            if (rows.stream().allMatch(Conformance.Row::nativePass)) {
                passed++;
            } else if (!RANDOM_OUTPUTS.contains(folder.getFileName().toString())) {
                failures.add(folder.getFileName() + ": " + rows.stream().filter(r -> !r.nativePass())
                        .map(r -> r.output() + " " + r.nativeResult() + " " + r.nativeError()).toList());
            }
        }
        System.out.println("libonnx-testdata node tests: " + passed + " of " + supported
                + " tests of supported operators pass the native import");
        assertTrue(supported >= 210, "expected at least 200 supported node tests, found " + supported);
        assertEquals(List.of(), failures);
    }

    @Test
    void commandPrintsATableAndTotals() {
        Path conv = NODE_TESTS.resolve("test_conv_with_strides_padding");
        OptionalMaterial.require(Files.isDirectory(conv), "libonnx-testdata not installed (" + NODE_TESTS + ")");
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        int rc = OnnxCli.execute(List.of("conformance", conv.toString()), out, out, ProviderCatalogue.discover());
        out.flush();
        assertEquals(0, rc, text.toString());
        assertTrue(text.toString().contains("test_conv_with_strides_padding"), text.toString());
        assertTrue(text.toString().contains("native import passed 1 of those 1"), text.toString());
    }
}
