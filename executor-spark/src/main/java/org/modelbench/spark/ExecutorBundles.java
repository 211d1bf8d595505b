package org.modelbench.spark;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;

/**
 * The bundles an executor JVM has opened, by the SHA-256 of what the driver shipped: each is opened
 * once per JVM (its providers loaded, its data read and checked against the lock's SHA-256s), then
 * shared by every task of the run on that JVM. This per-JVM table is the one piece of static state:
 * Spark gives a task no other place to keep what outlives it.
 */
final class ExecutorBundles {
    private static final Map<String, Opened> OPEN = new ConcurrentHashMap<>();

    private ExecutorBundles() {
    }

    /**
     * A bundle opened on this JVM.
     *
     * @param runner     runs its trials
     * @param opened     the bundle, plan and checked data
     * @param localCopy  the folder holding the executor's copy of the bundle, or {@code null} when it
     *                   runs in the shared bundle folder
     * @param driverRoot the bundle folder on the driver (messages name it, not the executor's copy)
     */
    record Opened(ExperimentRunner runner, ExperimentRunner.Opened opened, Path localCopy, String driverRoot) {
        /** {@code message} with the executor's copy of the bundle named as the driver's bundle. */
        String onDriver(String message) {
            return localCopy == null ? message : message.replace(opened.bundle().root().toString(), driverRoot);
        }

        /** Writes the finished trials {@code inputs} (trial id to its files) that a trial reads, once. */
        synchronized void provide(Map<String, Map<String, byte[]>> inputs) {
            if (localCopy == null) {
                return;
            }
            inputs.forEach((id, files) -> TrialFiles.write(opened.bundle().root().resolve("trials").resolve(id),
                    files));
        }

        /** The finished folder of {@code trial} as bytes; the executor's copy is then deleted. */
        Map<String, byte[]> take(TrialPlan.PlannedTrial trial) {
            if (localCopy == null) {
                return Map.of();
            }
            Path folder = opened.bundle().trial(trial);
            Map<String, byte[]> files = TrialFiles.read(folder);
            Bundle.deleteTree(folder);
            return files;
        }
    }

    /**
     * The bundle {@code shipped} (whose encoded bytes have SHA-256 {@code key}), opened on first use.
     *
     * @throws InvalidInputException when the bundle no longer resolves, or this machine's data files
     *                               differ from the lock's SHA-256s (the message names the file)
     */
    static Opened open(String key, ShippedBundle shipped) {
        return OPEN.computeIfAbsent(key, k -> load(k, shipped));
    }

    /** Forgets (and deletes the copy of) the bundle {@code key}: the driver's JVM does this in local mode. */
    static void close(String key) {
        Opened opened = OPEN.remove(key);
        if (opened != null && opened.localCopy() != null) {
            Bundle.deleteTree(opened.localCopy());
        }
    }

    private static Opened load(String key, ShippedBundle shipped) {
        Path copy = null;
        Bundle bundle;
        if (shipped.sharedBundle()) {
            bundle = Bundle.open(Path.of(shipped.root()));
        } else {
            try {
                copy = Files.createTempDirectory("modelbench-spark-" + key.substring(0, 12) + "-");
                Path root = Files.createDirectories(copy.resolve(Path.of(shipped.root()).getFileName().toString()));
                for (Map.Entry<String, byte[]> file : shipped.files().entrySet()) {
                    Files.write(root.resolve(file.getKey()), file.getValue());
                }
                bundle = Bundle.open(root);
            } catch (IOException e) {
                throw new ModelbenchException("cannot copy the bundle " + shipped.root() + " to this executor: "
                        + e.getMessage(), e);
            }
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PluginRegistry registry = PluginRegistry.load(Path.of(shipped.pluginsDirectory()),
                w -> out.println("modelbench: warning: " + w));
        ExperimentRunner runner = new ExperimentRunner(registry, Path.of(shipped.dataDirectory()),
                new Progress(out, false), null);
        try {
            return new Opened(runner, runner.open(bundle), copy, shipped.root());
        } catch (InvalidInputException e) {
            if (copy != null) {
                Bundle.deleteTree(copy);
            }
            String message = copy == null ? e.getMessage()
                    : e.getMessage().replace(bundle.root().toString(), shipped.root());
            throw new InvalidInputException(message, e);
        }
    }
}
