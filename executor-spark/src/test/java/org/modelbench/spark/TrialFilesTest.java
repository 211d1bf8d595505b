package org.modelbench.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DataFormatException;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CandidateMetrics;
import org.modelbench.app.run.DirectoryHash;
import org.modelbench.app.run.Json;

/**
 * The driver writes a search candidate's folder as it writes a trial's: its {@code metrics.json} is a
 * {@link CandidateMetrics} (validation rows only), which the executor used to refuse as "expected
 * trial metrics" (a search on Spark failed at its first candidate).
 */
class TrialFilesTest {
    @TempDir
    Path dir;

    @Test
    void aCandidateFolderIsWrittenWithItsFilesCheckedAndItsValidationAccuracyRead() throws Exception {
        byte[] curve = "{\"epochs\": [1]}".getBytes(StandardCharsets.UTF_8);
        Path probe = Files.createDirectories(dir.resolve("probe"));
        Files.write(probe.resolve("curve.json"), curve);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("optimizer.learningRate", 0.01);
        CandidateMetrics candidate = new CandidateMetrics("logreg", 1, 1, 0, values, 80, 20, 0.85, 0.41, 30,
                "epochs", 0.2, DirectoryHash.fileHashes(probe));
        byte[] metrics = Json.MAPPER.writeValueAsBytes(candidate);

        Path folder = dir.resolve("trials/iris/logreg/cand-1/seed-1/fold-0");
        TrialFiles.Recorded recorded = TrialFiles.write(folder, Map.of("curve.json", curve, Bundle.METRICS, metrics));
        assertEquals("validation accuracy", recorded.scoreLabel());
        assertEquals(0.85, recorded.score());
        assertArrayEquals(metrics, Files.readAllBytes(folder.resolve(Bundle.METRICS)));
        assertEquals(0.85, TrialFiles.Recorded.read(folder.resolve(Bundle.METRICS)).score());

        // a changed file is refused, and nothing is written
        Path other = dir.resolve("trials/iris/logreg/cand-2/seed-1/fold-0");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TrialFiles.write(other,
                Map.of("curve.json", "{}".getBytes(StandardCharsets.UTF_8), Bundle.METRICS, metrics)));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(Files.notExists(other));
    }
}
