package org.modelbench.app.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.CliRun;
import org.modelbench.app.plugins.PluginRegistry;

/** {@code explain} on a model of sequences {@code [C, L]}: one line saying it needs images, exit 2, nothing written. */
class SequenceModelsTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void explainSaysItNeedsImages() throws IOException {
        PluginRegistry registry = PluginRegistry.load(tmp.resolve("no-plugins"), w -> { });
        ModelFamilyProvider family = registry.requireFamily("cnn1d");
        Record config = registry.bindConfig("cnn1d", Map.of("filters", java.util.List.of(4)), "params");
        Path model = tmp.resolve("cnn1d");
        ((java.util.Optional<org.modelbench.api.Model>) family.initialModel(config, Shape.of(3, 40), 4, 1, registry.context())).orElseThrow()
                .save(model);
        Path input = tmp.resolve("input.idx");
        Files.write(input, new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0});
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model", model.toString(), "--input", input.toString(), "--out",
                out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("modelbench: error: " + model + ": explain draws feature maps and Grad-CAM heatmaps of images "
                + "and needs a model of image samples [channels, height, width]; this cnn1d model takes samples of "
                + "3x40 (sequences: channels x length)", run.err().strip());
        assertFalse(Files.exists(out));
        assertTrue(run.out().isEmpty(), run.out());
    }

    @Test
    void modelSummaryOfCnn1dOnSequences() {
        CliRun run = CliRun.of("model", "summary", "cnn1d", "--input-shape", "3x100", "--classes", "5");
        assertEquals(0, run.exitCode(), run.err());
        for (String row : new String[] {"conv1d_1", "32x100", "maxpool1d_2", "64x25", "global-avgpool_1", "dense_1"}) {
            assertTrue(run.out().contains(row), row + " in\n" + run.out());
        }
        CliRun images = CliRun.of("model", "summary", "cnn1d");
        assertEquals(2, images.exitCode(), images.err());
        assertTrue(images.err().contains("model cnn1d needs sequence samples [channels, length], but the data's "
                + "samples are 1x28x28"), images.err());
    }
}
