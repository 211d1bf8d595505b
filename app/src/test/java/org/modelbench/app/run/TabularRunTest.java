package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/** The engine's {@code logreg} and {@code mlp} train on table rows {@code [F]} (iris) through {@code modelbench run}. */
class TabularRunTest {
    @TempDir
    Path project;

    @Test
    void logregAndMlpLearnIris() throws IOException {
        Path manifest = project.resolve("iris.yaml");
        Files.writeString(manifest, """
                name: iris-engine
                dataset:
                  id: iris
                  preprocessing: {standardize: true}
                models:
                  - id: logreg
                    family: logreg
                    params: {epochs: 60, batchSize: 16, optimizer: {type: adam, learningRate: 0.05}}
                  - id: mlp
                    family: mlp
                    params: {hidden: [16], epochs: 60, batchSize: 16, optimizer: {type: adam, learningRate: 0.01}}
                seeds: [1]
                outputs: {report: false}
                """);
        CliRun run = CliRun.of("run", manifest.toString(), "--project-dir", project.toString());
        assertEquals(0, run.exitCode(), run.err());
        Path bundle;
        try (Stream<Path> s = Files.list(project.resolve("runs/iris-engine"))) {
            bundle = s.findFirst().orElseThrow();
        }
        for (String model : new String[] {"logreg", "mlp"}) {
            TrialMetrics m = Json.read(bundle.resolve("trials/" + model + "/seed-1").resolve(Bundle.METRICS),
                    TrialMetrics.class);
            System.out.printf("%s on iris: test accuracy %.3f (%d training rows)%n", model, m.accuracy(),
                    m.trainSamples());
            assertTrue(m.accuracy() >= 0.85, model + " on iris: accuracy " + m.accuracy());
        }
    }
}
