package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Trainer;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Runs one search candidate of a bundle: trains the candidate's configuration on the trial's
 * training rows and scores it on the validation rows. It is given {@link ExperimentData.SelectionData}
 * only, which holds no test rows. Its folder gets {@code curve.json} and, last, {@code metrics.json}
 * ({@link CandidateMetrics}); the model itself is not kept (the selecting trial retrains the winner).
 * Like {@link TrialRunner}, it writes into a staging folder renamed into place, and keeps a finished trial.
 */
public final class CandidateRunner {
    private final PluginRegistry registry;
    private final ExperimentData data;
    private final Bundle bundle;
    private final Progress progress;
    private final TrialRunner steps;

    /** As {@link TrialRunner#TrialRunner}. */
    public CandidateRunner(PluginRegistry registry, ExperimentPlan plan, ExperimentData data, Bundle bundle,
                           Progress progress) {
        this.registry = registry;
        this.data = data;
        this.bundle = bundle;
        this.progress = progress;
        this.steps = new TrialRunner(registry, plan, data, bundle, progress);
    }

    /**
     * Runs candidate trial {@code trial} unless it has finished.
     *
     * @return its metrics, read back when it had finished before
     */
    public CandidateMetrics run(TrialPlan.PlannedTrial trial, String label) {
        Path folder = bundle.trial(trial);
        if (Files.isRegularFile(folder.resolve(Bundle.METRICS))) {
            progress.line(label + ": already finished, kept");
            return Json.read(folder.resolve(Bundle.METRICS), CandidateMetrics.class);
        }
        ExperimentPlan.PlannedModel model = steps.model(trial.model());
        int c = trial.candidate();
        Record config = TrialPlan.candidateConfig(model, c, model.spec().id());
        Path staging = Bundle.stagingBeside(folder);
        try {
            Trainer trainer = TrialRunner.trainer(model, config, registry.context());
            ExperimentData.SelectionData rows = data.forSelection(trial.seed(), trial.fold() == null ? -1 : trial.fold(),
                    model.spec().effectivePreprocessing(data.spec()), trainer.appliesAugmentation());
            TrialRunner.Trained trained = steps.train(trainer, model, trial, rows.train(),
                    Optional.of(rows.validation()), rows.augmenter(), staging.resolve("work"), label);
            Evaluation validation = Evaluation.of(trained.model(), rows.validation(),
                    model.spec().trainer().evalBatchSize());
            Json.write(staging.resolve(Bundle.CURVE), trained.curve());
            CandidateMetrics metrics = new CandidateMetrics(model.spec().id(), c, trial.seed(), trial.fold(),
                    model.search().values(c), rows.train().size(), rows.validation().size(), validation.accuracy(),
                    validation.logLoss(), trained.epochsRun(), trained.stopReason(), trained.trainingSeconds(),
                    DirectoryHash.fileHashes(staging));
            Json.write(staging.resolve(Bundle.METRICS), metrics);
            Bundle.moveIntoPlace(staging, folder);
            progress.line(String.format("%s: done, validation accuracy %.4f %s (%.1f s)", label,
                    metrics.validationAccuracy(), metrics.values(), metrics.trainingSeconds()));
            return metrics;
        } finally {
            Bundle.deleteTree(staging);
        }
    }
}
