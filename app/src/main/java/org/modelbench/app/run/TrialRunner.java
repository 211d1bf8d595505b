package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.modelbench.api.Dataset;
import org.modelbench.api.DifferentiableModel;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Trainer;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.app.explain.Images;
import org.modelbench.app.explain.Pictures;
import org.modelbench.app.explain.PixelSpace;
import org.modelbench.app.explain.RobustnessEvaluation;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.Robustness;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Runs one trial of a bundle, in steps: {@link #train}, {@link #evaluate}, {@link #robustness},
 * {@link #pictures}, {@link #save}. Everything is written into a hidden staging folder beside the
 * trial's folder, {@code metrics.json} last, which is then renamed into place: a trial folder either
 * does not exist or is complete. Running a finished trial again keeps it ({@link #run} is idempotent).
 */
public final class TrialRunner {
    private final PluginRegistry registry;
    private final ExperimentPlan plan;
    private final ExperimentData data;
    private final Bundle bundle;
    private final Progress progress;

    /**
     * @param plan   the bundle's plan (read from its manifest copy and checked against its resolved config)
     * @param data   the data, checked against the bundle's lock
     */
    public TrialRunner(PluginRegistry registry, ExperimentPlan plan, ExperimentData data, Bundle bundle,
                       Progress progress) {
        this.registry = registry;
        this.plan = plan;
        this.data = data;
        this.bundle = bundle;
        this.progress = progress;
    }

    /** A trained model and how training went. */
    record Trained(Model model, List<CurvePoint> curve, String stopReason, int epochsRun, double trainingSeconds,
                   int validationSamples, long derivedRobustnessSeed) {
    }

    /**
     * Test-set results, and the validation rows' accuracy when there are validation rows.
     *
     * @param inferenceSamplesPerSecond test rows scored per second through the whole model, or {@code null} when
     *                                  the model took some rows' intermediate features from a cache
     *                                  ({@link Model#rowsFromCache()}): that pass timed lookups, not inference
     */
    record Evaluated(Evaluation evaluation, Double inferenceSamplesPerSecond, Double validationAccuracy) {
    }

    /**
     * Runs {@code trial} unless it has finished.
     *
     * @param label the progress prefix, e.g. {@code [3/8] mlp seed 1}
     * @return its metrics, read back when the trial had finished before
     */
    public TrialMetrics run(TrialPlan.PlannedTrial trial, String label) {
        Path folder = bundle.trial(trial);
        if (Files.isRegularFile(folder.resolve(Bundle.METRICS))) {
            progress.line(label + ": already finished, kept");
            return Json.read(folder.resolve(Bundle.METRICS), TrialMetrics.class);
        }
        for (String before : trial.after()) {
            if (!Files.isRegularFile(bundle.root().resolve("trials").resolve(before).resolve(Bundle.METRICS))) {
                throw new ModelbenchException(label + ": trial " + before + " must finish first (this trial reads it)");
            }
        }
        ExperimentPlan.PlannedModel model = model(trial.model());
        Selection selection = model.search() == null ? null : Selection.of(bundle, model, trial);
        Record config = selection == null ? model.config()
                : TrialPlan.candidateConfig(model, selection.candidate(), model.spec().id());
        Path staging = Bundle.stagingBeside(folder);
        try {
            Trainer trainer = trainer(model, config, registry.context());
            ExperimentData.TrialData prepared = data.forTrial(trial.seed(), trial.fold() == null ? -1 : trial.fold(),
                    model.spec().effectivePreprocessing(plan.manifest().dataset()), trainer.appliesAugmentation());
            prepared.augmenter().ifPresent(a -> Images.write(AugmentationPreview.draw(prepared.train(), a,
                    prepared.preprocessing(), trial.seed()), staging.resolve(Bundle.AUGMENTED_SAMPLES)));
            Trained trained = train(trainer, model, trial, prepared, staging.resolve("work"), label);
            Evaluated evaluated = evaluate(trained.model(), prepared.test(), prepared.validation(),
                    model.spec().trainer().evalBatchSize());
            RobustnessResult robustness = robustness(model, trial, trained, prepared);
            pictures(trained.model(), prepared, staging);
            if (selection != null) {
                Json.write(staging.resolve(Selection.FILE_NAME), selection);
            }
            TrialMetrics metrics = save(model, trial, prepared, trained, evaluated, robustness, staging);
            Bundle.moveIntoPlace(staging, folder);
            progress.line(String.format("%s: done, test accuracy %.4f, log loss %.4f (%.1f s)", label,
                    metrics.accuracy(), metrics.logLoss(), metrics.trainingSeconds()));
            return metrics;
        } finally {
            Bundle.deleteTree(staging);
        }
    }

    /** Trains the model on the trial's rows (and validation rows, when its trainer uses them). */
    Trained train(Trainer trainer, ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial,
                  ExperimentData.TrialData prepared, Path work, String label) {
        return train(trainer, model, trial, prepared.train(), prepared.validation(), prepared.augmenter(), work, label);
    }

    /** Trains the model on {@code rows} (and {@code validationRows}, when its trainer uses them). */
    Trained train(Trainer trainer, ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial, Dataset rows,
                  Optional<Dataset> validationRows, Optional<org.modelbench.api.Augmenter> augmenter, Path work,
                  String label) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new ModelbenchException("cannot create " + work + ": " + e.getMessage(), e);
        }
        List<CurvePoint> curve = new ArrayList<>();
        String[] stop = {"completed"};
        int[] epochsRun = {0};
        RunContext context = new RunContext(trial.seed(), model.spec().trainer().threads(), List.of(
                progress.trial(label), event -> {
                    if (event instanceof TrainingEvent.EpochFinished e) {
                        curve.add(new CurvePoint(e.epoch(), CurvePoint.finite(e.trainLoss()),
                                CurvePoint.finite(e.trainAccuracy()), CurvePoint.finite(e.validationLoss()),
                                CurvePoint.finite(e.validationAccuracy()), e.elapsed().toNanos() / 1e9));
                    } else if (event instanceof TrainingEvent.Finished f) {
                        stop[0] = f.reason();
                        epochsRun[0] = f.epochsRun();
                    }
                }), work, null, bundle.root().resolve(Bundle.CACHE));
        if (trainer.appliesAugmentation() && augmenter.isPresent()) {
            context = context.withAugmenter(augmenter.get());
        }
        Optional<Dataset> validation = model.spec().trainer().useValidation() ? validationRows : Optional.empty();
        long t0 = System.nanoTime();
        Model trained;
        try {
            trained = trainer.train(rows, validation, context);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(where(model, trial) + ": " + e.getMessage(), e);
        } catch (ModelbenchException e) {
            throw new ModelbenchException(where(model, trial) + ": " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw OutOfHeap.during(where(model, trial) + ": training", e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Bundle.deleteTree(work);
        return new Trained(trained, List.copyOf(curve), stop[0], epochsRun[0] > 0 ? epochsRun[0] : curve.size(),
                seconds, validation.map(Dataset::size).orElse(0), context.derivedSeed("robustness"));
    }

    /** Scores the test rows. */
    static Evaluated evaluate(Model model, Dataset test, int batchSize) {
        return evaluate(model, test, Optional.empty(), batchSize);
    }

    /** Scores the test rows, and the validation rows when given. */
    static Evaluated evaluate(Model model, Dataset test, Optional<Dataset> validation, int batchSize) {
        long cachedBefore = model.rowsFromCache();
        long t0 = System.nanoTime();
        Evaluation evaluation = Evaluation.of(model, test, batchSize);
        double seconds = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        Double rate = model.rowsFromCache() > cachedBefore ? null : test.size() / seconds;
        Double validationAccuracy = validation.map(v -> Evaluation.of(model, v, batchSize).accuracy()).orElse(null);
        return new Evaluated(evaluation, rate, validationAccuracy);
    }

    /**
     * The accuracy under attack, when the manifest asks for it: white-box for a differentiable model,
     * else transferred from the same seed's surrogate (a trial this one lists in {@code after}).
     */
    RobustnessResult robustness(ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial, Trained trained,
                                ExperimentData.TrialData prepared) {
        Robustness settings = plan.manifest().robustness();
        if (settings == null) {
            return null;
        }
        RobustnessEvaluation.Side target = new RobustnessEvaluation.Side(trained.model(),
                PixelSpace.of(prepared.preprocessing()));
        if (trained.model() instanceof DifferentiableModel) {
            return RobustnessEvaluation.evaluate(target, target, "white-box", prepared.test(), settings,
                    trained.derivedRobustnessSeed());
        }
        String where = where(model, trial);
        if (settings.surrogate() == null) {
            throw new InvalidInputException(where + ": the model has no gradients, so robustness needs a transfer "
                    + "attack; expected robustness.surrogate: <id of a differentiable model of the manifest>");
        }
        Path surrogateDir = bundle.root().resolve("trials").resolve(trial.idFor(settings.surrogate()));
        if (!Files.isRegularFile(surrogateDir.resolve(Bundle.METRICS))) {
            throw new ModelbenchException(where + ": the surrogate '" + settings.surrogate() + "' has no finished trial "
                    + "for seed " + trial.seed());
        }
        Model surrogate = model(settings.surrogate()).family().provider().load(surrogateDir.resolve(Bundle.MODEL),
                registry.context());
        if (!(surrogate instanceof DifferentiableModel)) {
            throw new InvalidInputException(where + ": robustness.surrogate '" + settings.surrogate() + "' (family "
                    + surrogate.familyId() + ") has no gradients either; expected a differentiable model");
        }
        FittedPreprocessing surrogatePreprocessing = Json.read(surrogateDir.resolve(FittedPreprocessing.FILE_NAME),
                FittedPreprocessing.class);
        return RobustnessEvaluation.evaluate(target, new RobustnessEvaluation.Side(surrogate,
                PixelSpace.of(surrogatePreprocessing)), "transfer from " + settings.surrogate(), prepared.test(),
                settings, trained.derivedRobustnessSeed());
    }

    /** Filter and activation pictures of an inspectable model. */
    static void pictures(Model model, ExperimentData.TrialData prepared, Path folder) {
        if (model instanceof InspectableModel inspectable) {
            Pictures.writeTrialPictures(inspectable, prepared.test().features(), PixelSpace.of(prepared.preprocessing()),
                    folder);
        }
    }

    /**
     * Writes the model (with its {@link ModelCard}), curve, predictions, preprocessing and provenance,
     * then {@code metrics.json} with the model checksum and every file's SHA-256, into {@code folder}.
     */
    TrialMetrics save(ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial,
                      ExperimentData.TrialData prepared, Trained trained, Evaluated evaluated,
                      RobustnessResult robustness, Path folder) {
        Path modelDir = folder.resolve(Bundle.MODEL);
        trained.model().save(modelDir);
        ModelCard.of(trained.model(), registry, prepared.preprocessing()).write(modelDir);
        String sha = DirectoryHash.sha256(modelDir);
        Evaluation evaluation = evaluated.evaluation();
        Json.write(folder.resolve(Bundle.CURVE), trained.curve());
        Json.write(folder.resolve(Bundle.PREDICTIONS), new Predictions(prepared.test().labels(),
                evaluation.predictions()));
        Json.write(folder.resolve(FittedPreprocessing.FILE_NAME), prepared.preprocessing());
        Json.write(folder.resolve(Bundle.PROVENANCE), provenance(trained.model()));
        TrialMetrics metrics = new TrialMetrics(model.spec().id(), model.family().info().id(),
                model.family().info().version(), trial.seed(), model.spec().trainer().threads(),
                prepared.train().size(), trained.validationSamples(), prepared.test().size(),
                evaluation.accuracy(), evaluation.logLoss(), evaluation.macroF1(), evaluation.classNames(),
                evaluation.precision(), evaluation.recall(), evaluation.f1(), evaluation.confusion(),
                trained.epochsRun(), trained.stopReason(), trained.model().parameterCount(), sha,
                trained.trainingSeconds(), evaluated.inferenceSamplesPerSecond(), robustness,
                DirectoryHash.fileHashes(folder), trial.fold(), evaluated.validationAccuracy(),
                Files.isRegularFile(folder.resolve(Selection.FILE_NAME))
                        ? Json.read(folder.resolve(Selection.FILE_NAME), Selection.class).candidate() : null);
        Json.write(folder.resolve(Bundle.METRICS), metrics);
        return metrics;
    }

    ExperimentPlan.PlannedModel model(String id) {
        return plan.models().stream().filter(m -> m.spec().id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidInputException("no model '" + id + "' in the manifest"));
    }

    static String where(ExperimentPlan.PlannedModel model, TrialPlan.PlannedTrial trial) {
        return "model '" + model.spec().id() + "' (family " + model.family().info().id() + ") seed " + trial.seed()
                + (trial.fold() == null ? "" : " fold " + trial.fold());
    }

    /** The trained model's own provenance as a tree: family, version, full config, seed, threads, details. */
    private static Map<String, Object> provenance(Model model) {
        ModelProvenance p = model.provenance();
        Map<String, Object> tree = new java.util.LinkedHashMap<>();
        tree.put("familyId", p.familyId());
        tree.put("familyVersion", p.familyVersion());
        tree.put("config", p.config() == null ? null : RecordBinder.toTree(p.config()));
        tree.put("seed", p.seed());
        tree.put("threads", p.threads());
        tree.put("details", new TreeMap<>(p.details()));
        return tree;
    }

    static Trainer trainer(ExperimentPlan.PlannedModel model, ProviderContext providers) {
        return trainer(model, model.config(), providers);
    }

    /** The family's trainer for {@code config} (the model's own, or a search candidate's). */
    @SuppressWarnings("unchecked")
    static <C extends Record> Trainer trainer(ExperimentPlan.PlannedModel model, Record config,
                                              ProviderContext providers) {
        ModelFamilyProvider<C> family = (ModelFamilyProvider<C>) model.family().provider();
        return family.trainer(family.configType().cast(config), providers);
    }
}
