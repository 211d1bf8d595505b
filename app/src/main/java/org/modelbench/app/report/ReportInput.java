package org.modelbench.app.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.modelbench.app.manifest.DatasetSpec;
import org.modelbench.app.manifest.Manifest;
import org.modelbench.app.manifest.ModelSpec;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CurvePoint;
import org.modelbench.app.run.Json;
import org.modelbench.app.run.Lock;
import org.modelbench.app.run.Predictions;
import org.modelbench.app.run.Resolved;
import org.modelbench.app.run.TrialMetrics;
import org.modelbench.app.run.TrialPlan;

/**
 * What a report is made from, read from a bundle's files into typed records only: the resolved
 * experiment, the lock, and per dataset each model's finished trials (in seed order).
 *
 * @param bundle     the bundle
 * @param experiment the resolved experiment
 * @param lock       the bundle's provenance
 * @param datasets   one entry per dataset (one for a single-dataset manifest, in manifest order for a suite)
 */
record ReportInput(Bundle bundle, Manifest experiment, Lock lock, List<DatasetTrials> datasets) {
    ReportInput {
        datasets = List.copyOf(datasets);
    }

    /** The models' trials of a single-dataset manifest (the first dataset's of a suite). */
    List<ModelTrials> models() {
        return datasets.get(0).models();
    }

    /**
     * The trials on one dataset.
     *
     * @param label  the dataset's label (its trial ids' prefix in a suite)
     * @param spec   the dataset entry
     * @param models one entry per model of the experiment, in manifest order
     */
    record DatasetTrials(String label, DatasetSpec spec, List<ModelTrials> models) {
        DatasetTrials {
            models = List.copyOf(models);
        }
    }

    /**
     * A model's finished trials.
     *
     * @param spec        the model entry (params: its family's full config)
     * @param metrics     per finished trial, its metrics
     * @param curves      per finished trial, its learning curve
     * @param predictions per finished trial, its test predictions
     * @param folders     per finished trial, its folder
     */
    record ModelTrials(ModelSpec spec, List<TrialMetrics> metrics, List<List<CurvePoint>> curves,
                       List<Predictions> predictions, List<Path> folders) {
        ModelTrials {
            metrics = List.copyOf(metrics);
            curves = List.copyOf(curves);
            predictions = List.copyOf(predictions);
            folders = List.copyOf(folders);
        }

        String id() {
            return spec.id();
        }

        String family() {
            return spec.family();
        }

        double[] values(String metric) {
            return metrics.stream().mapToDouble(m -> m.metric(metric)).toArray();
        }
    }

    /** Reads {@code bundle}. */
    static ReportInput load(Bundle bundle) {
        Manifest experiment = Resolved.read(bundle).experiment();
        List<DatasetTrials> datasets = new ArrayList<>();
        for (DatasetSpec dataset : experiment.allDatasets()) {
            String prefix = experiment.suite() ? dataset.label() : null;
            List<ModelTrials> models = new ArrayList<>();
            for (ModelSpec spec : experiment.models()) {
                List<TrialMetrics> metrics = new ArrayList<>();
                List<List<CurvePoint>> curves = new ArrayList<>();
                List<Predictions> predictions = new ArrayList<>();
                List<Path> folders = new ArrayList<>();
                for (long seed : experiment.seeds()) {
                    for (Integer fold : Bundle.folds(dataset.folds())) {
                        Path dir = bundle.root().resolve("trials")
                                .resolve(TrialPlan.PlannedTrial.idOf(prefix, spec.id(), null, seed, fold));
                        if (!Files.isRegularFile(dir.resolve(Bundle.METRICS))) {
                            continue;
                        }
                        metrics.add(Json.read(dir.resolve(Bundle.METRICS), TrialMetrics.class));
                        curves.add(List.of(Json.read(dir.resolve(Bundle.CURVE), CurvePoint[].class)));
                        predictions.add(Json.read(dir.resolve(Bundle.PREDICTIONS), Predictions.class));
                        folders.add(dir);
                    }
                }
                models.add(new ModelTrials(spec, metrics, curves, predictions, folders));
            }
            datasets.add(new DatasetTrials(dataset.title(), dataset, models));
        }
        return new ReportInput(bundle, experiment, Lock.read(bundle.lock()), datasets);
    }
}
