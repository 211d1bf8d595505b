package org.modelbench.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.app.CliRun;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.data.IdxWriter;

/**
 * A 10,000-candidate grid (four keys of ten values) goes through the plan step (the bundle with its
 * plan.json of 10,001 trials) in a child JVM limited to a 200 MB heap, so a plan that needs more
 * fails with an OutOfMemoryError; the child reports the plan step's wall time and the CPU time its
 * process spent meanwhile (every thread: the plan, the garbage collector and the JIT compiler), which the
 * machine's load inflates far less than wall time. The limits are generous (a shared, loaded machine);
 * the test prints the figures.
 */
class PlanSizeTest {
    static final String MANIFEST = """
            name: big-grid
            dataset:
              files:
                trainImages: data/train-images
                trainLabels: data/train-labels
                testImages: data/test-images
                testLabels: data/test-labels
              validationSplit: 0.2
            models:
              - id: softmax
                family: test-softmax
                search: {strategy: grid}
                params:
                  epochs: {grid: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
                  batchSize: {grid: [8, 16, 24, 32, 40, 48, 56, 64, 72, 80]}
                  learningRate: {grid: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]}
                  l2: {grid: [0, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05]}
            seeds: [1]
            """;

    @TempDir
    Path project;

    @Test
    void tenThousandTrialGridPlansInUnderTwoSecondsAndTwoHundredMegabytes() throws Exception {
        Path manifest = write(project);
        CliRun check = CliRun.of("run", manifest.toString(), "--check");
        assertEquals(0, check.exitCode(), check.err());
        assertTrue(check.out().contains("OK: softmax: 10000 candidates x 1 seed(s) + 1 selected = 10001 -> 10001 trials"),
                check.out());

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx200m", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), manifest.toString(), project.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, child.exitValue(), "the plan step in a 200 MB heap: " + out);
        Matcher m = Pattern.compile("planned (\\d+) trials in ([0-9.]+) s wall, ([0-9.]+) s cpu").matcher(out);
        assertTrue(m.find(), out);
        System.out.println("PlanSizeTest: " + m.group() + " (-Xmx200m; load " + load() + ")\n" + out);
        assertEquals(10_001, Integer.parseInt(m.group(1)));
        // generous limits: 1.5 to 1.9 s CPU and 2.7 s wall were measured at load average 20 on 2 cores
        assertTrue(Double.parseDouble(m.group(3)) < 4.0, "plan step CPU time: " + out);
        assertTrue(Double.parseDouble(m.group(2)) < 30.0, "plan step wall time: " + out);
        try (Stream<Path> s = Files.list(project.resolve("runs/big-grid"))) {
            Path bundle = s.findFirst().orElseThrow();
            TrialPlan plan = Json.read(bundle.resolve(TrialPlan.FILE_NAME), TrialPlan.class);
            assertEquals(10_001, plan.trials().size());
            TrialPlan.PlannedTrial last = plan.trials().get(9_999);
            assertEquals("softmax/cand-9999/seed-1", last.id());
            assertEquals(10, ((Number) last.params().get("epochs")).intValue());
            assertEquals(0.05, ((Number) last.params().get("l2")).doubleValue(), 1e-12);
            assertEquals(10_000, plan.trials().get(10_000).after().size());
        }
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** The plan step alone, timed: {@code Probe MANIFEST PROJECT}. */
    static final class Probe {
        public static void main(String[] args) {
            Path manifest = Path.of(args[0]);
            Path project = Path.of(args[1]);
            PluginRegistry registry = PluginRegistry.load(project.resolve("no-plugins"), w -> { });
            ExperimentRunner runner = new ExperimentRunner(registry, project.resolve("cache"),
                    new Progress(new PrintWriter(System.out, true), false), null);
            long wall = System.nanoTime();
            double cpu = processCpuSeconds();
            ExperimentPlan plan = new ManifestLoader(registry, project.resolve("cache")).load(manifest);
            System.out.printf("manifest read at %.2f s%n", (System.nanoTime() - wall) / 1e9);
            Bundle bundle = runner.plan(plan, DatasetCache.of(plan, project.resolve("cache"), s -> { }), project);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = processCpuSeconds() - cpu;
            Runtime rt = Runtime.getRuntime();
            System.out.printf("planned %d trials in %.2f s wall, %.2f s cpu; heap max %d MB, used %d MB: %s%n",
                    TrialPlan.of(bundle, plan, registry).trials().size(), wallSeconds, cpuSeconds,
                    rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, bundle.root());
        }
    }

    private static Path write(Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        java.util.Random random = new java.util.Random(1);
        for (String split : List.of("train", "test")) {
            int n = split.equals("train") ? 100 : 40;
            byte[] pixels = new byte[n * 28 * 28];
            random.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            IdxWriter.write(data.resolve(split + "-images"), new int[] {n, 28, 28}, pixels);
            IdxWriter.write(data.resolve(split + "-labels"), new int[] {n}, labels);
        }
        Path manifest = dir.resolve("big-grid.yaml");
        Files.writeString(manifest, MANIFEST);
        return manifest;
    }
}
