package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * What a dataset provider notes while reading reaches the run's provenance: test rows whose category
 * the training rows never had (encoded as all zeros) are counted per column in lock.json's
 * {@code data.notes} and in the report's provenance table.
 */
class DataNotesTest {
    @TempDir
    Path project;

    @Test
    void unseenCategoriesOfTestRowsAreCountedInTheLockAndTheReport() throws IOException {
        StringBuilder train = new StringBuilder("color,size,y\n");
        StringBuilder test = new StringBuilder("color,size,y\n");
        for (int i = 0; i < 40; i++) {
            train.append(i % 2 == 0 ? "red" : "blue").append(',').append(i % 5).append(',').append(i % 2).append('\n');
        }
        for (int i = 0; i < 10; i++) {
            test.append(i < 3 ? "green" : i < 4 ? "violet" : "red").append(',').append(i % 5).append(',')
                    .append(i % 2).append('\n');
        }
        Files.writeString(project.resolve("train.csv"), train);
        Files.writeString(project.resolve("test.csv"), test);
        Path manifest = project.resolve("notes.yaml");
        Files.writeString(manifest, """
                name: notes
                dataset: {id: csv, params: {train: train.csv, test: test.csv, label: y, categorical: [color]}}
                models:
                  - id: logreg
                    family: logreg
                    params: {epochs: 1}
                seeds: [1]
                outputs: {directory: runs}
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> bundles = Files.list(project.resolve("runs").resolve("notes"))) {
            bundle = bundles.findFirst().orElseThrow();
        }
        JsonNode notes = new ObjectMapper().readTree(bundle.resolve("lock.json").toFile()).path("data").path("notes");
        assertEquals("4", notes.path("unseenCategories:color").asText(), notes.toString());
        String report = Files.readString(bundle.resolve("report.md"));
        assertTrue(report.contains("data note unseenCategories:color | 4"), report);
    }
}
