package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Runs an experiment in three idempotent steps that every executor uses:
 * <ol>
 *   <li>{@link #plan}: checks the data, creates the bundle with its manifest copy, resolved config,
 *       lock and trial list ({@link TrialPlan}, {@code plan.json});</li>
 *   <li>{@link #runTrial}: one trial, read from the bundle alone (its manifest copy, checked against
 *       its resolved config, and data checked against its lock), written atomically into its folder;</li>
 *   <li>{@link #finish}: the report, once every trial has finished.</li>
 * </ol>
 * {@link #run} is all three on a {@link TrialExecutor} ({@link LocalExecutor} by default);
 * {@link #resume} reruns only the unfinished trials. A trial is deterministic given the manifest and
 * its seed (its data subset, validation split, augmentation and training randomness all derive from
 * the seed), so results depend neither on the executor, nor on the order, nor on the parallelism.
 */
public final class ExperimentRunner {
    private final PluginRegistry registry;
    private final Path dataDirectory;
    private final Progress progress;
    private final ReportHook report;
    private final TrialExecutor executor;

    /** Writes the report of a finished bundle. */
    @FunctionalInterface
    public interface ReportHook {
        void write(Bundle bundle);
    }

    /**
     * A bundle opened for running trials: its plan read back from the bundle and checked, its data
     * loaded (each dataset on first use) and checked against the lock.
     *
     * @param bundle the bundle
     * @param plan   its experiment plan
     * @param trials its trial list
     * @param data   the data of its datasets
     */
    public record Opened(Bundle bundle, ExperimentPlan plan, TrialPlan trials, DatasetCache data) {
    }

    /**
     * @param report writes the report at the end of a run (when the manifest asks for one); {@code null} for none
     */
    public ExperimentRunner(PluginRegistry registry, Path dataDirectory, Progress progress, ReportHook report) {
        this(registry, dataDirectory, progress, report, new LocalExecutor(1));
    }

    /** @param executor runs the trials */
    public ExperimentRunner(PluginRegistry registry, Path dataDirectory, Progress progress, ReportHook report,
                            TrialExecutor executor) {
        this.registry = registry;
        this.dataDirectory = dataDirectory;
        this.progress = progress;
        this.report = report;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * @param jobs how many trials may run at once on this machine, {@code >= 1}. Memory use grows with
     *             it (each running trial holds its own data copy); results do not change
     */
    public ExperimentRunner(PluginRegistry registry, Path dataDirectory, Progress progress, ReportHook report,
                            int jobs) {
        this(registry, dataDirectory, progress, report, new LocalExecutor(jobs));
    }

    /** Plans, runs every trial and finishes: a new bundle under {@code <projectRoot>/<outputs.directory>/}. */
    public Bundle run(ExperimentPlan plan, Path projectRoot) {
        DatasetCache data = DatasetCache.of(plan, dataDirectory, progress::line);
        Bundle bundle = plan(plan, data, projectRoot);
        progress.line("bundle " + bundle.root());
        progress.line("plan: " + plan.sizeLine());
        runAll(new Opened(bundle, plan, TrialPlan.of(bundle, plan, registry), data));
        return bundle;
    }

    /**
     * Step 1: creates {@code <projectRoot>/<outputs.directory>/<name>/<timestamp>/} with its manifest
     * copy, resolved config, lock and trial list. Nothing is written when the data does not fit.
     */
    public Bundle plan(ExperimentPlan plan, DatasetCache data, Path projectRoot) {
        Path runs = projectRoot.toAbsolutePath().normalize().resolve(plan.manifest().outputs().directory())
                .normalize();
        Lock lock = Lock.collect(plan, registry, data);
        TrialPlan trials = TrialPlan.of(plan, registry);
        return Bundle.create(runs, plan.manifest().name(), staging -> {
            AtomicFiles.writeString(staging.resolve(Bundle.manifestCopyName(plan.fileName())), plan.text());
            Json.write(staging.resolve(Bundle.RESOLVED), resolvedFile(plan, registry));
            Json.write(staging.resolve(Bundle.LOCK), lock);
            trials.write(staging);
        });
    }

    /**
     * Opens {@code bundle} to run its trials: its manifest copy must still resolve to its recorded
     * config and its data files must still have the recorded SHA-256s.
     *
     * @throws InvalidInputException when the manifest no longer resolves to the bundle's config, or
     *                               the data files changed
     */
    public Opened open(Bundle bundle) {
        ExperimentPlan plan = planOf(bundle, new ManifestLoader(registry, dataDirectory));
        Object recorded = Json.readTree(bundle.resolved()).get("experiment");
        Object now = Json.reread(bundle.format() >= 2 ? resolvedExperiment(plan, registry) : plan.resolvedTree());
        if (!Objects.equals(recorded, now)) {
            throw new InvalidInputException(bundle.resolved() + ": the manifest now resolves differently ("
                    + Differences.first(recorded, now) + "); a plugin changed? Start a new run instead");
        }
        TrialPlan trials = TrialPlan.of(bundle, plan, registry);
        DatasetCache data = new DatasetCache(plan, dataDirectory, progress::line,
                Lock.read(bundle.lock()).hashesByDataset(), bundle.lock());
        if (!plan.manifest().suite()) {
            data.get(plan.datasetLabel()); // one dataset: checked before anything runs, as always
        }
        return new Opened(bundle, plan, trials, data);
    }

    /** Resumes {@code bundle}: finished trials are kept, the others run, then the report is written. */
    public Bundle resume(Bundle bundle) {
        Opened opened = open(bundle);
        progress.line("resuming " + bundle.root());
        runAll(opened);
        return bundle;
    }

    /**
     * Step 2: runs one trial of an opened bundle (kept as it is when it has finished before): a search
     * candidate ({@link CandidateRunner}) or a plain or selecting trial ({@link TrialRunner}).
     *
     * @return its metrics; {@code null} for a search candidate (its validation metrics are in its
     *         {@code metrics.json}, {@link CandidateMetrics})
     */
    public TrialMetrics runTrial(Opened opened, TrialPlan.PlannedTrial trial) {
        String label = "[" + (trial.index() + 1) + "/" + opened.trials().trials().size() + "] " + trial.label();
        ExperimentPlan part = opened.plan().part(trial.dataset());
        ExperimentData data = opened.data().get(trial.dataset());
        if (trial.candidate() != null) {
            new CandidateRunner(registry, part, data, opened.bundle(), progress).run(trial, label);
            return null;
        }
        return new TrialRunner(registry, part, data, opened.bundle(), progress).run(trial, label);
    }

    /**
     * Step 3: writes the report when the manifest asks for one (or always, with {@code always}), and
     * deletes the bundle's shared cache ({@link Bundle#CACHE}: it only served the trials, which have all
     * finished; the frozen features of a transfer run take gigabytes).
     *
     * @throws InvalidInputException when a trial has not finished, naming the first
     */
    public void finish(Bundle bundle, ExperimentPlan plan, TrialPlan trials, boolean always) {
        List<String> unfinished = trials.trials().stream()
                .filter(t -> !Files.isRegularFile(bundle.trial(t).resolve(Bundle.METRICS)))
                .map(TrialPlan.PlannedTrial::id).toList();
        if (!unfinished.isEmpty()) {
            throw new InvalidInputException(bundle.root() + ": " + unfinished.size() + " of " + trials.trials().size()
                    + " trials have not finished (first: " + unfinished.get(0) + "); expected every trial finished "
                    + "(modelbench run --resume runs them)");
        }
        Bundle.deleteTree(bundle.root().resolve(Bundle.CACHE));
        if (report != null && (always || plan.manifest().outputs().report())) {
            report.write(bundle);
            progress.line("report " + bundle.root().resolve(Bundle.REPORT_HTML));
        }
    }

    private void runAll(Opened opened) {
        long start = System.nanoTime();
        executor.execute(opened, opened.trials().trials(), trial -> runTrial(opened, trial));
        finish(opened.bundle(), opened.plan(), opened.trials(), false);
        progress.line(String.format("finished %d trials in %s: %s", opened.trials().trials().size(),
                Progress.duration((System.nanoTime() - start) / 1e9), opened.bundle().root()));
    }

    /** The plan of a bundle: its manifest copy, read against the folder the original manifest was in. */
    public static ExperimentPlan planOf(Bundle bundle, ManifestLoader loader) {
        Map<String, Object> resolved = Json.readTree(bundle.resolved());
        Object source = resolved.get("source");
        if (!(source instanceof Map<?, ?> s) || !(s.get("file") instanceof String file)
                || !(s.get("directory") instanceof String directory)) {
            throw new InvalidInputException(bundle.resolved() + ": expected a 'source' with 'file' and 'directory'");
        }
        Path copy = bundle.manifestCopy().orElseThrow();
        String text;
        try {
            text = Files.readString(copy);
        } catch (IOException e) {
            throw new ModelbenchException("cannot read " + copy + ": " + e.getMessage(), e);
        }
        return loader.load(file, text, Path.of(directory));
    }

    /**
     * The {@code experiment} of {@code resolved.json}: {@link ExperimentPlan#resolvedTree()} with every
     * layer spec's defaults filled in (bundles of format 1 recorded the specs as written).
     */
    static Object resolvedExperiment(ExperimentPlan plan, PluginRegistry registry) {
        return LayerSpecDefaults.fill(plan.resolvedTree(), registry);
    }

    private static Map<String, Object> resolvedFile(ExperimentPlan plan, PluginRegistry registry) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", plan.fileName());
        source.put("directory", plan.baseDirectory().toString());
        out.put("source", source);
        out.put("experiment", resolvedExperiment(plan, registry));
        return out;
    }
}
