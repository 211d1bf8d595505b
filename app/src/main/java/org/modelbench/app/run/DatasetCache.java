package org.modelbench.app.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;

/**
 * The data of a plan's datasets for one process: each dataset is loaded on first use and kept while
 * the datasets kept fit a memory budget, so a suite of small tables loads each table once, and a
 * suite of large datasets holds one (plus those still in use by running trials) at a time. Trials
 * run in plan order, dataset after dataset, so each dataset loads once per process either way.
 *
 * <p>With recorded SHA-256s (a bundle's {@code lock.json}), every dataset is checked against them
 * when it loads. Thread-safe.
 */
public final class DatasetCache {
    private final ExperimentPlan plan;
    private final Path cacheDirectory;
    private final Consumer<String> log;
    private final Map<String, Map<String, String>> recorded;
    private final Path lockFile;
    private final long budgetBytes;
    /** Kept datasets by label, least recently used first. */
    private final LinkedHashMap<String, ExperimentData> kept = new LinkedHashMap<>(4, 0.75f, true);

    /**
     * @param recorded per dataset label, the SHA-256s its files must have ({@code null}: no check)
     * @param lockFile the file the hashes came from, named in errors
     */
    DatasetCache(ExperimentPlan plan, Path cacheDirectory, Consumer<String> log,
                 Map<String, Map<String, String>> recorded, Path lockFile) {
        this(plan, cacheDirectory, log, recorded, lockFile, Runtime.getRuntime().maxMemory() / 4);
    }

    DatasetCache(ExperimentPlan plan, Path cacheDirectory, Consumer<String> log,
                 Map<String, Map<String, String>> recorded, Path lockFile, long budgetBytes) {
        this.plan = plan;
        this.cacheDirectory = cacheDirectory;
        this.log = log;
        this.recorded = recorded;
        this.lockFile = lockFile;
        this.budgetBytes = budgetBytes;
    }

    /** A cache of {@code plan}'s datasets with nothing to check them against (a new run). */
    public static DatasetCache of(ExperimentPlan plan, Path cacheDirectory, Consumer<String> log) {
        return new DatasetCache(plan, cacheDirectory, log, null, null);
    }

    /**
     * The data of the dataset labelled {@code label} ({@link ExperimentPlan#datasetLabel()}).
     *
     * @throws InvalidInputException when the data does not fit the manifest, or its files no longer have
     *                               the recorded SHA-256s
     */
    public synchronized ExperimentData get(String label) {
        ExperimentData data = kept.get(label);
        if (data != null) {
            return data;
        }
        ExperimentPlan part = plan.part(label);
        try {
            data = ExperimentData.load(part, cacheDirectory, log);
        } catch (OutOfMemoryError e) {
            throw OutOfHeap.during("loading dataset '" + label + "'", e);
        }
        if (recorded != null) {
            // one dataset: its single entry, whatever name older bundles gave it
            Map<String, String> hashes = plan.manifest().suite() || recorded.size() != 1 ? recorded.get(label)
                    : recorded.values().iterator().next();
            if (hashes == null || !hashes.equals(data.fileHashes())) {
                throw new InvalidInputException(lockFile + ": the data files" + (plan.manifest().suite()
                        ? " of dataset '" + label + "'" : "") + " changed since the run started ("
                        + (hashes == null ? "no entry for the dataset" : Differences.first(hashes, data.fileHashes()))
                        + "); start a new run instead");
            }
        }
        kept.put(label, data);
        long total = 0;
        for (ExperimentData d : kept.values()) {
            total += bytes(d);
        }
        var oldest = kept.entrySet().iterator();
        while (total > budgetBytes && kept.size() > 1) {
            var entry = oldest.next();
            if (entry.getKey().equals(label)) {
                break;
            }
            total -= bytes(entry.getValue());
            oldest.remove();
        }
        return data;
    }

    /** How many datasets are held now (for tests of the budget). */
    synchronized int kept() {
        return kept.size();
    }

    /** The memory a dataset's rows take: its pool's and fixed test rows' features and labels. */
    static long bytes(ExperimentData data) {
        long out = 0;
        for (var part : java.util.List.of(data.pool(), data.test())) {
            out += 4L * part.features().data().length + 4L * part.size();
        }
        return out;
    }
}
