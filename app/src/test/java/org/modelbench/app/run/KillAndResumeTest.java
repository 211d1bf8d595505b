package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;

/**
 * Kills the runner (SIGKILL, as a child process) at several points of a run; {@code run --resume}
 * must finish it with metrics, learning curves and model checksums equal to an uninterrupted run.
 */
class KillAndResumeTest {
    static final String MANIFEST = """
            name: killable
            dataset:
              id: mnist
              trainSize: 3000
              testSize: 500
              validationSplit: 0.1
              preprocessing: {rescale: 255}
            models:
              - id: softmax
                family: test-softmax
                params: {epochs: 4, batchSize: 16}
                trainer: {threads: 1}
              - id: centroid
                family: test-centroid
              - id: softmax-std
                family: test-softmax
                params: {epochs: 3}
                preprocessing: {rescale: 255, standardize: true}
            seeds: [3, 4]
            """;

    @TempDir
    Path work;

    @Test
    void resumeAfterKillsEqualsUninterruptedRun() throws Exception {
        Path manifest = work.resolve("killable.yaml");
        Files.writeString(manifest, MANIFEST);
        Path reference = work.resolve("reference");
        CliRun full = CliRun.of("run", manifest.toString(), "--project-dir", reference.toString());
        assertEquals(0, full.exitCode(), full.err());
        Path expected = onlyBundle(reference);

        List<String> killPoints = List.of(
                "] softmax seed 3: training on",
                "[2/6] softmax seed 4: epoch 2/4",
                "[3/6] centroid seed 3: done",
                "[5/6] softmax-std seed 3: epoch 1/3",
                "[6/6] softmax-std seed 4: done");
        int interruptedWithWorkLeft = 0;
        for (int i = 0; i < killPoints.size(); i++) {
            Path project = work.resolve("killed-" + i);
            killAt(killPoints.get(i), "run", manifest.toString(), "--project-dir", project.toString());
            Path bundle = onlyBundle(project);
            int finished = countFinished(bundle);
            if (finished < 6 || !Files.exists(bundle.resolve("report.html"))) {
                interruptedWithWorkLeft++;
            }
            if (i == 1) {
                // kill the resume too, once, part way through
                killAt("done", "run", "--resume", bundle.toString());
            }
            CliRun resumed = CliRun.of("run", "--resume", bundle.toString());
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.out().contains("resuming " + bundle), resumed.out());
            assertEquals(6, countFinished(bundle));
            assertSameResults(expected, bundle, killPoints.get(i));
            assertTrue(Files.isRegularFile(bundle.resolve("report.html")));
        }
        assertTrue(interruptedWithWorkLeft >= 4, "kills must land before the run ends: " + interruptedWithWorkLeft);
    }

    /** Starts {@code modelbench args} as a child JVM and SIGKILLs it once a line contains {@code marker}. */
    private static void killAt(String marker, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), "org.modelbench.app.Main",
                "--plugins-dir", "target/no-plugins"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean seen = false;
        StringBuilder log = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.contains(marker)) {
                    seen = true;
                    process.destroyForcibly();
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(seen, "never saw '" + marker + "' in\n" + log);
    }

    private static void assertSameResults(Path expected, Path actual, String killPoint) throws IOException {
        for (String model : List.of("softmax", "centroid", "softmax-std")) {
            for (int seed : new int[] {3, 4}) {
                for (String file : List.of(Bundle.METRICS, Bundle.CURVE, Bundle.PREDICTIONS)) {
                    String rel = "trials/" + model + "/seed-" + seed + "/" + file;
                    Object a = Json.MAPPER.readValue(Files.readString(expected.resolve(rel)), Object.class);
                    Object b = Json.MAPPER.readValue(Files.readString(actual.resolve(rel)), Object.class);
                    List<Differences.Row> diff = Differences.ofResults(a, b, Set.of("files"));
                    assertEquals(List.of(), diff, "after a kill at '" + killPoint + "': " + rel);
                }
            }
        }
        assertEquals(Differences.between(Json.readTree(expected.resolve("resolved.json")).get("experiment"),
                Json.readTree(actual.resolve("resolved.json")).get("experiment"), Set.of()), List.of());
    }

    private static int countFinished(Path bundle) throws IOException {
        if (!Files.isDirectory(bundle.resolve("trials"))) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(bundle.resolve("trials"))) {
            return (int) walk.filter(p -> p.getFileName().toString().equals(Bundle.METRICS)).count();
        }
    }

    private static Path onlyBundle(Path project) throws IOException {
        try (Stream<Path> s = Files.list(project.resolve("runs/killable"))) {
            List<Path> bundles = s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            assertEquals(1, bundles.size(), bundles.toString());
            return bundles.get(0);
        }
    }
}
