package org.modelbench.app.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/** With {@code dataset.folds}, the report counts seeds and folds apart: 2 seeds x 3 folds, not "6 seeds". */
class CrossValidationReportTest {
    @TempDir
    Path project;

    @Test
    void theComparisonShowsSeedsTimesFolds() throws IOException {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i % 10).append(',').append(i % 3).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Files.writeString(project.resolve("t.csv"), csv);
        Path manifest = project.resolve("cv.yaml");
        Files.writeString(manifest, """
                name: cv
                dataset: {id: csv, params: {train: t.csv, label: y}, folds: 3}
                models:
                  - id: logreg
                    family: logreg
                    params: {epochs: 1}
                seeds: [1, 2]
                outputs: {directory: runs}
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> bundles = Files.list(project.resolve("runs").resolve("cv"))) {
            bundle = bundles.findFirst().orElseThrow();
        }
        String report = Files.readString(bundle.resolve("report.md"));
        assertTrue(report.contains("1 model(s) x 2 seed(s) [1, 2] x 3 folds (stratified cross-validation); 6 of 6 "
                + "trials finished"), report);
        assertTrue(report.contains("| model | family | seeds x folds |"), report);
        assertTrue(report.contains("| logreg | logreg | 2 x 3 |"), report);
        assertTrue(report.contains("across seeds x folds"), report);
    }
}
