package org.modelbench.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peak resident memory of training alone, measured in a child JVM with a fixed heap limit
 * ({@value #HEAP}), so that the figure is the engine's need rather than how far the garbage
 * collector lets a default-sized heap grow. The child runs {@link #main}: the warm-up epoch plus
 * {@code epochs} timed epochs of the seed CNN, then prints its VmHWM in MiB.
 */
public final class TrainingMemory {
    static final String HEAP = "-Xmx512m";

    private TrainingMemory() {
    }

    /** The child's peak RSS in MiB, or null when this JVM was not started from a module path (tests). */
    static Double childPeakRssMb(Path mnist, int samples, int batch, int threads) {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-m", "org.modelbench.bench/" + TrainingMemory.class.getName(),
                mnist == null ? "-" : mnist.toString(), Integer.toString(samples), Integer.toString(batch),
                Integer.toString(threads)));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            String[] lines = out.split("\n");
            return Double.parseDouble(lines[lines.length - 1].strip());
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Child entry point: {@code MNIST_DIR|- SAMPLES BATCH THREADS}; prints the peak RSS in MiB. */
    public static void main(String[] args) {
        Path mnist = "-".equals(args[0]) ? null : Path.of(args[0]);
        SeedCnnWorkload workload = SeedCnnWorkload.load(mnist, Integer.parseInt(args[1]));
        EngineBench engine = new EngineBench(SeedCnnWorkload.network(42), workload, Integer.parseInt(args[2]),
                Integer.parseInt(args[3]));
        for (int epoch = 0; epoch < 3; epoch++) {
            engine.trainEpoch();
        }
        System.out.println(Timing.peakRssMb());
    }
}
