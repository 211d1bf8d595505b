package org.modelbench.app.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.modelbench.app.manifest.DatasetSpec;
import org.modelbench.app.manifest.Manifest;
import org.modelbench.app.manifest.ModelSpec;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CandidateMetrics;
import org.modelbench.app.run.CurvePoint;
import org.modelbench.app.run.Json;
import org.modelbench.app.run.Lock;
import org.modelbench.app.run.Predictions;
import org.modelbench.app.run.Resolved;
import org.modelbench.app.run.Selection;
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
     * @param search      for a searched model, per seed (and fold) its candidates and selection; else empty
     */
    record ModelTrials(ModelSpec spec, List<TrialMetrics> metrics, List<List<CurvePoint>> curves,
                       List<Predictions> predictions, List<Path> folders, List<SearchSeed> search) {
        ModelTrials {
            metrics = List.copyOf(metrics);
            curves = List.copyOf(curves);
            predictions = List.copyOf(predictions);
            folders = List.copyOf(folders);
            search = List.copyOf(search);
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

    /**
     * A searched model's candidates of one seed (and fold).
     *
     * @param seed       the seed
     * @param fold       the fold, or {@code null}
     * @param candidates the finished candidates, by index
     * @param selection  the selecting trial's choice, or {@code null} when it has not finished
     */
    record SearchSeed(long seed, Integer fold, List<CandidateMetrics> candidates, Selection selection) {
        SearchSeed {
            candidates = List.copyOf(candidates);
        }
    }

    /** Reads {@code bundle}. */
    static ReportInput load(Bundle bundle) {
        Manifest experiment = Resolved.read(bundle).experiment();
        TrialPlan plan = experiment.models().stream().anyMatch(m -> m.search() != null)
                ? Json.read(bundle.root().resolve(TrialPlan.FILE_NAME), TrialPlan.class) : null;
        List<DatasetTrials> datasets = new ArrayList<>();
        for (DatasetSpec dataset : experiment.allDatasets()) {
            String prefix = experiment.suite() ? dataset.label() : null;
            List<ModelTrials> models = new ArrayList<>();
            for (ModelSpec spec : experiment.models()) {
                List<TrialMetrics> metrics = new ArrayList<>();
                List<List<CurvePoint>> curves = new ArrayList<>();
                List<Predictions> predictions = new ArrayList<>();
                List<Path> folders = new ArrayList<>();
                List<SearchSeed> search = new ArrayList<>();
                for (long seed : experiment.seeds()) {
                    for (Integer fold : Bundle.folds(dataset.folds())) {
                        Path dir = bundle.root().resolve("trials")
                                .resolve(TrialPlan.PlannedTrial.idOf(prefix, spec.id(), null, seed, fold));
                        if (spec.search() != null) {
                            search.add(searchSeed(bundle, plan, dataset.title(), dir, spec.id(), seed, fold));
                        }
                        if (!Files.isRegularFile(dir.resolve(Bundle.METRICS))) {
                            continue;
                        }
                        metrics.add(Json.read(dir.resolve(Bundle.METRICS), TrialMetrics.class));
                        curves.add(List.of(Json.read(dir.resolve(Bundle.CURVE), CurvePoint[].class)));
                        predictions.add(Json.read(dir.resolve(Bundle.PREDICTIONS), Predictions.class));
                        folders.add(dir);
                    }
                }
                models.add(new ModelTrials(spec, metrics, curves, predictions, folders, search));
            }
            datasets.add(new DatasetTrials(dataset.title(), dataset, models));
        }
        return new ReportInput(bundle, experiment, Lock.read(bundle.lock()), datasets);
    }

    /**
     * The candidates and selection of a searched model's trial in folder {@code selected}, on the dataset
     * labelled {@code dataset}.
     */
    private static SearchSeed searchSeed(Bundle bundle, TrialPlan plan, String dataset, Path selected, String model,
                                         long seed, Integer fold) {
        List<CandidateMetrics> candidates = new ArrayList<>();
        for (TrialPlan.PlannedTrial t : plan.trials()) {
            if (t.candidate() != null && t.model().equals(model) && t.seed() == seed
                    && java.util.Objects.equals(t.fold(), fold) && java.util.Objects.equals(t.dataset(), dataset)) {
                Path metrics = bundle.trial(t).resolve(Bundle.METRICS);
                if (Files.isRegularFile(metrics)) {
                    candidates.add(Json.read(metrics, CandidateMetrics.class));
                }
            }
        }
        Path selection = selected.resolve(Selection.FILE_NAME);
        return new SearchSeed(seed, fold, candidates,
                Files.isRegularFile(selection) ? Json.read(selection, Selection.class) : null);
    }
}
