package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.Dataset;
import org.modelbench.api.DifferentiableModel;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.explain.Images;
import org.modelbench.app.explain.PixelSpace;
import org.modelbench.app.explain.Pictures;
import org.modelbench.app.explain.RobustnessEvaluation;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.manifest.Robustness;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Runs every (model x seed, x fold with {@code dataset.folds}) trial of a plan into a results bundle, or resumes a bundle.
 *
 * <p>Trials run one after the other, each with the threads its manifest entry gives, so that no
 * trial's result depends on what else runs. A trial is deterministic given the manifest and its
 * seed: its data subset, validation split, augmentation and training randomness all derive from the
 * seed. Each file is written atomically and {@code metrics.json} last, so a run killed at any point
 * leaves finished trials intact and {@link #resume} reruns only the others.
 */
public final class ExperimentRunner {
    private final PluginRegistry registry;
    private final Path dataDirectory;
    private final Progress progress;
    private final ReportHook report;
    private final int jobs;

    /** Writes the report of a finished bundle. */
    @FunctionalInterface
    public interface ReportHook {
        void write(Bundle bundle);
    }

    /**
     * @param registry      the providers
     * @param dataDirectory the dataset cache
     * @param progress      progress output
     * @param report        writes the report at the end of a run (when the manifest asks for one); {@code null}
     *                      for none
     */
    public ExperimentRunner(PluginRegistry registry, Path dataDirectory, Progress progress, ReportHook report) {
        this(registry, dataDirectory, progress, report, 1);
    }

    /**
     * @param jobs how many trials may run at once, {@code >= 1}. Each trial keeps the thread count of
     *             its manifest entry and derives everything from its own seed, so results do not depend
     *             on {@code jobs}; memory use grows with it (each running trial holds its own data copy)
     */
    public ExperimentRunner(PluginRegistry registry, Path dataDirectory, Progress progress, ReportHook report,
                            int jobs) {
        if (jobs < 1) {
            throw new InvalidInputException("--jobs: expected an integer >= 1, got " + jobs);
        }
        this.registry = registry;
        this.dataDirectory = dataDirectory;
        this.progress = progress;
        this.report = report;
        this.jobs = jobs;
    }

    /**
     * Loads the data, creates {@code <projectRoot>/<outputs.directory>/<name>/<timestamp>/} and runs
     * every trial. Nothing is written when the data does not fit the manifest.
     */
    public Bundle run(ExperimentPlan plan, Path projectRoot) {
        ExperimentData data = ExperimentData.load(plan, dataDirectory, progress::line);
        Path runs = projectRoot.toAbsolutePath().normalize().resolve(plan.manifest().outputs().directory())
                .normalize();
        Map<String, Object> lock = Lock.collect(plan, registry, data);
        Bundle bundle = Bundle.create(runs, plan.manifest().name(), staging -> {
            AtomicFiles.writeString(staging.resolve(Bundle.manifestCopyName(plan.fileName())), plan.text());
            Json.write(staging.resolve(Bundle.RESOLVED), resolvedFile(plan));
            Json.write(staging.resolve(Bundle.LOCK), lock);
        });
        progress.line("bundle " + bundle.root());
        execute(plan, data, bundle);
        return bundle;
    }

    /**
     * Resumes {@code bundle}: finished trials are kept, the others run, then the report is written.
     *
     * @throws InvalidInputException when the manifest no longer resolves to the bundle's config, or
     *                               the data files changed
     */
    public Bundle resume(Bundle bundle) {
        ExperimentPlan plan = planOf(bundle, new ManifestLoader(registry, dataDirectory));
        Object recorded = Json.readTree(bundle.resolved()).get("experiment");
        Object now = normalize(plan.resolvedTree());
        if (!Objects.equals(recorded, now)) {
            throw new InvalidInputException(bundle.resolved() + ": the manifest now resolves differently ("
                    + Differences.first(recorded, now) + "); a plugin changed? Start a new run instead");
        }
        ExperimentData data = ExperimentData.load(plan, dataDirectory, progress::line);
        Object hashes = ((Map<?, ?>) Json.readTree(bundle.lock()).get("data")).get("sha256");
        if (!Objects.equals(hashes, normalize(data.fileHashes()))) {
            throw new InvalidInputException(bundle.lock() + ": the data files changed since the run started ("
                    + Differences.first(hashes, normalize(data.fileHashes())) + "); start a new run instead");
        }
        progress.line("resuming " + bundle.root());
        execute(plan, data, bundle);
        return bundle;
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

    private static Map<String, Object> resolvedFile(ExperimentPlan plan) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file", plan.fileName());
        source.put("directory", plan.baseDirectory().toString());
        out.put("source", source);
        out.put("experiment", plan.resolvedTree());
        return out;
    }

    /** A tree as it reads back from JSON (so that floats and doubles compare equal). */
    static Object normalize(Object tree) {
        try {
            return Json.MAPPER.readValue(Json.text(tree), Object.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(ExperimentPlan plan, ExperimentData data, Bundle bundle) {
        int total = plan.trialCount();
        int index = 0;
        long start = System.nanoTime();
        List<Callable<Void>> first = new ArrayList<>();
        List<Callable<Void>> pending = new ArrayList<>();
        String surrogate = plan.manifest().robustness() == null ? null : plan.manifest().robustness().surrogate();
        int[] folds = Bundle.folds(plan.manifest().dataset().folds());
        for (ExperimentPlan.PlannedModel model : plan.models()) {
            for (long seed : plan.manifest().seeds()) {
                for (int fold : folds) {
                    index++;
                    String label = "[" + index + "/" + total + "] " + model.spec().id() + " seed " + seed
                            + (fold < 0 ? "" : " fold " + fold);
                    if (bundle.finished(model.spec().id(), seed, fold)) {
                        progress.line(label + ": already finished, kept");
                        continue;
                    }
                    (model.spec().id().equals(surrogate) ? first : pending).add(() -> {
                        TrialMetrics m = runTrial(plan, model, seed, fold, data, bundle, label);
                        progress.line(String.format("%s: done, test accuracy %.4f, log loss %.4f (%.1f s)", label,
                                m.accuracy(), m.logLoss(), m.trainingSeconds()));
                        return null;
                    });
                }
            }
        }
        // a transfer attack loads its surrogate's trained model, so surrogate trials run first
        runAll(first);
        runAll(pending);
        if (report != null && plan.manifest().outputs().report()) {
            report.write(bundle);
            progress.line("report " + bundle.root().resolve(Bundle.REPORT_HTML));
        }
        progress.line(String.format("finished %d trials in %s: %s", total,
                Progress.duration((System.nanoTime() - start) / 1e9), bundle.root()));
    }

    /** Runs the trials in order, or on {@code jobs} threads; the first failure stops the rest. */
    private void runAll(List<Callable<Void>> trials) {
        if (jobs == 1 || trials.size() <= 1) {
            for (Callable<Void> trial : trials) {
                try {
                    trial.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ModelbenchException(e.getMessage(), e);
                }
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(jobs, trials.size()));
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            trials.forEach(done::submit);
            for (int i = 0; i < trials.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new ModelbenchException(String.valueOf(e.getCause()), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModelbenchException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private TrialMetrics runTrial(ExperimentPlan plan, ExperimentPlan.PlannedModel model, long seed, int fold,
                                  ExperimentData data, Bundle bundle, String label) {
        Path dir = bundle.trial(model.spec().id(), seed, fold);
        Bundle.deleteTree(dir);
        Path work = dir.resolve("work");
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new ModelbenchException("cannot create " + work + ": " + e.getMessage(), e);
        }
        Trainer trainer = trainer(model);
        ExperimentData.TrialData trial = data.forTrial(seed, fold,
                model.spec().effectivePreprocessing(plan.manifest().dataset()), trainer.appliesAugmentation());
        List<CurvePoint> curve = new ArrayList<>();
        String[] stop = {"completed"};
        int[] epochsRun = {0};
        RunContext context = new RunContext(seed, model.spec().trainer().threads(), List.of(
                progress.trial(label), event -> {
                    if (event instanceof TrainingEvent.EpochFinished e) {
                        curve.add(new CurvePoint(e.epoch(), CurvePoint.finite(e.trainLoss()),
                                CurvePoint.finite(e.trainAccuracy()), CurvePoint.finite(e.validationLoss()),
                                CurvePoint.finite(e.validationAccuracy()), e.elapsed().toNanos() / 1e9));
                    } else if (event instanceof TrainingEvent.Finished f) {
                        stop[0] = f.reason();
                        epochsRun[0] = f.epochsRun();
                    }
                }), work);
        if (trainer.appliesAugmentation() && trial.augmenter().isPresent()) {
            context = context.withAugmenter(trial.augmenter().get());
        }
        trial.augmenter().ifPresent(a -> Images.write(AugmentationPreview.draw(trial.train(), a, trial.preprocessing(),
                seed), dir.resolve(Bundle.AUGMENTED_SAMPLES)));
        Optional<Dataset> validation = model.spec().trainer().useValidation()
                ? trial.validation() : Optional.empty();
        Model trained;
        long t0 = System.nanoTime();
        try {
            trained = trainer.train(trial.train(), validation, context);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("model '" + model.spec().id() + "' (family " + model.family().info().id()
                    + ") seed " + seed + (fold < 0 ? "" : " fold " + fold) + ": " + e.getMessage(), e);
        } catch (ModelbenchException e) {
            throw new ModelbenchException("model '" + model.spec().id() + "' (family " + model.family().info().id()
                    + ") seed " + seed + ": " + e.getMessage(), e);
        }
        double trainingSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Evaluation evaluation = Evaluation.of(trained, trial.test(), model.spec().trainer().evalBatchSize());
        double inferenceSeconds = Math.max(1e-9, (System.nanoTime() - t1) / 1e9);
        RobustnessResult robustness = plan.manifest().robustness() == null ? null
                : robustness(plan, model, trained, trial, bundle, seed, fold, context.derivedSeed("robustness"));
        if (trained instanceof InspectableModel inspectable) {
            Pictures.writeTrialPictures(inspectable, trial.test().features(), PixelSpace.of(trial.preprocessing()), dir);
        }
        Path modelDir = dir.resolve(Bundle.MODEL);
        trained.save(modelDir);
        String sha = DirectoryHash.sha256(modelDir);
        Json.write(dir.resolve(Bundle.CURVE), curve);
        Json.write(dir.resolve(Bundle.PREDICTIONS), new Predictions(trial.test().labels(), evaluation.predictions()));
        Json.write(dir.resolve(FittedPreprocessing.FILE_NAME), trial.preprocessing());
        Json.write(dir.resolve(Bundle.PROVENANCE), provenance(trained));
        Bundle.deleteTree(work);
        TrialMetrics metrics = new TrialMetrics(model.spec().id(), model.family().info().id(),
                model.family().info().version(), seed, context.threads(), trial.train().size(),
                validation.map(Dataset::size).orElse(0), trial.test().size(),
                evaluation.accuracy(), evaluation.logLoss(), evaluation.macroF1(), evaluation.classNames(),
                evaluation.precision(), evaluation.recall(), evaluation.f1(), evaluation.confusion(),
                epochsRun[0] > 0 ? epochsRun[0] : curve.size(), stop[0], trained.parameterCount(), sha,
                trainingSeconds, trial.test().size() / inferenceSeconds, robustness, fold < 0 ? null : fold);
        Json.write(dir.resolve(Bundle.METRICS), metrics);
        return metrics;
    }

    /**
     * The trial's accuracy under attack: white-box for a differentiable model, else transferred from
     * the same seed's surrogate (which has run before, see {@link #execute}).
     */
    private RobustnessResult robustness(ExperimentPlan plan, ExperimentPlan.PlannedModel model, Model trained,
                                        ExperimentData.TrialData trial, Bundle bundle, long seed, int fold,
                                        long attackSeed) {
        Robustness settings = plan.manifest().robustness();
        RobustnessEvaluation.Side target = new RobustnessEvaluation.Side(trained, PixelSpace.of(trial.preprocessing()));
        if (trained instanceof DifferentiableModel) {
            return RobustnessEvaluation.evaluate(target, target, "white-box", trial.test(), settings, attackSeed);
        }
        String where = "model '" + model.spec().id() + "' (family " + model.family().info().id() + ") seed " + seed;
        if (settings.surrogate() == null) {
            throw new InvalidInputException(where + ": the model has no gradients, so robustness needs a transfer "
                    + "attack; expected robustness.surrogate: <id of a differentiable model of the manifest>");
        }
        if (!bundle.finished(settings.surrogate(), seed, fold)) {
            throw new ModelbenchException(where + ": the surrogate '" + settings.surrogate() + "' has no finished trial "
                    + "for seed " + seed);
        }
        Path surrogateDir = bundle.trial(settings.surrogate(), seed, fold);
        Model surrogate = plan.models().stream().filter(m -> m.spec().id().equals(settings.surrogate())).findFirst()
                .orElseThrow().family().provider().load(surrogateDir.resolve(Bundle.MODEL));
        if (!(surrogate instanceof DifferentiableModel)) {
            throw new InvalidInputException(where + ": robustness.surrogate '" + settings.surrogate() + "' (family "
                    + surrogate.familyId() + ") has no gradients either; expected a differentiable model");
        }
        FittedPreprocessing surrogatePreprocessing = Json.read(surrogateDir.resolve(FittedPreprocessing.FILE_NAME),
                FittedPreprocessing.class);
        return RobustnessEvaluation.evaluate(target, new RobustnessEvaluation.Side(surrogate,
                PixelSpace.of(surrogatePreprocessing)), "transfer from " + settings.surrogate(), trial.test(), settings,
                attackSeed);
    }

    /** The trained model's own provenance as a tree: family, version, full config, seed, threads, details. */
    private static Map<String, Object> provenance(Model model) {
        ModelProvenance p = model.provenance();
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("familyId", p.familyId());
        tree.put("familyVersion", p.familyVersion());
        tree.put("config", p.config() == null ? null : RecordBinder.toTree(p.config()));
        tree.put("seed", p.seed());
        tree.put("threads", p.threads());
        tree.put("details", new java.util.TreeMap<>(p.details()));
        return tree;
    }

    @SuppressWarnings("unchecked")
    private static <C extends Record> Trainer trainer(ExperimentPlan.PlannedModel model) {
        ModelFamilyProvider<C> family = (ModelFamilyProvider<C>) model.family().provider();
        return family.trainer(family.configType().cast(model.config()));
    }
}
