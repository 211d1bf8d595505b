package org.modelbench.app.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.app.plugins.Registered;

/**
 * A manifest that has passed every check: its families exist, every {@code params} block bound to
 * its family's config record, its data files exist. Nothing has been written yet.
 *
 * @param fileName      the manifest's file name, e.g. {@code mnist-labs.yaml}
 * @param text          the manifest exactly as given
 * @param baseDirectory the folder relative data paths are resolved against (the manifest's folder)
 * @param manifest      the bound manifest, defaults filled in
 * @param models        one entry per model, in manifest order
 * @param dataset       the dataset provider, or {@code null} when the manifest gives IDX files
 * @param datasetConfig the provider's config bound from {@code dataset.params} ({@code null} for IDX files)
 * @param datasetInfo   the provider's facts about that dataset ({@code null} for IDX files)
 * @param dataFiles     the IDX files' absolute paths by key, empty for a provider
 * @param parts         a suite's datasets, each as a single-dataset plan (its manifest {@link Manifest#on} that
 *                      dataset), in manifest order; empty for a single-dataset manifest, whose dataset fields are
 *                      this plan's own (a suite's are {@code null})
 */
public record ExperimentPlan(String fileName, String text, Path baseDirectory, Manifest manifest,
                             List<PlannedModel> models, Registered<DatasetProvider> dataset, Record datasetConfig,
                             DatasetProvider.Info datasetInfo, Map<String, Path> dataFiles,
                             List<ExperimentPlan> parts) {

    public ExperimentPlan {
        models = List.copyOf(models);
        dataFiles = Map.copyOf(dataFiles);
        parts = parts == null ? List.of() : List.copyOf(parts);
        if (manifest.suite() != !parts.isEmpty()) {
            throw new IllegalArgumentException("parts: expected one per dataset of a suite, none otherwise");
        }
    }

    /** The single-dataset plans: a suite's parts, or this plan. */
    public List<ExperimentPlan> perDataset() {
        return parts.isEmpty() ? List.of(this) : parts;
    }

    /** This dataset's label: the suite entry's label, or the single dataset's title. */
    public String datasetLabel() {
        return manifest.dataset() == null ? manifest.name() : manifest.dataset().title();
    }

    /**
     * The single-dataset plan of the dataset labelled {@code label} (this plan itself for a single-dataset
     * manifest).
     */
    public ExperimentPlan part(String label) {
        if (parts.isEmpty()) {
            return this;
        }
        return parts.stream().filter(p -> p.datasetLabel().equals(label)).findFirst().orElseThrow(() ->
                new org.modelbench.api.InvalidInputException("no dataset '" + label
                        + "' in the manifest; expected one of "
                        + String.join(", ", parts.stream().map(ExperimentPlan::datasetLabel).toList())));
    }

    /**
     * A model entry bound to its family.
     *
     * @param spec   the entry as written (params raw)
     * @param family the family provider and where it came from
     * @param config the family's config record, all defaults filled in (for a search: the default
     *               configuration, {@link SearchSpace#defaults()})
     * @param search the candidates of the entry's search, or {@code null} without one
     */
    public record PlannedModel(ModelSpec spec, Registered<ModelFamilyProvider<?>> family, Record config,
                               SearchSpace search) {
        /** The trials of this model per seed and fold: its candidates and the selected one, or just one. */
        public long trialsPerSeed() {
            return search == null ? 1 : search.size() + 1L;
        }
    }

    /**
     * The number of trials: models x seeds (x folds when cross-validating), a searched model counting
     * its candidates and its selected trial; summed over a suite's datasets.
     */
    public long trialCount() {
        if (!parts.isEmpty()) {
            return parts.stream().mapToLong(ExperimentPlan::trialCount).sum();
        }
        return models.stream().mapToLong(PlannedModel::trialsPerSeed).sum() * manifest.seeds().size() * foldCount();
    }

    /**
     * The plan's size as a line, e.g. {@code 2 model(s) x 3 seed(s) = 6 trials}, or for a search
     * {@code mlp: 20 candidates x 3 seed(s) + 3 selected = 63 trials; ...}; a suite's is
     * {@code 2 model(s) x 3 seed(s) on 2 datasets = 60 trials} (each dataset's line: {@link #parts()}).
     */
    public String sizeLine() {
        int seeds = manifest.seeds().size();
        if (!parts.isEmpty()) {
            return String.format("%d model(s) x %d seed(s) on %d datasets = %d trials", models.size(), seeds,
                    parts.size(), trialCount());
        }
        String folds = foldCount() > 1 ? " x " + foldCount() + " folds" : "";
        if (models.stream().allMatch(m -> m.search() == null)) {
            return String.format("%d model(s) x %d seed(s)%s = %d trials", models.size(), seeds, folds, trialCount());
        }
        List<String> parts = new ArrayList<>();
        for (PlannedModel m : models) {
            long per = (long) seeds * foldCount();
            parts.add(m.search() == null ? m.spec().id() + ": " + seeds + " seed(s)" + folds + " = " + per
                    : String.format("%s: %d candidates x %d seed(s)%s + %d selected = %d", m.spec().id(),
                    m.search().size(), seeds, folds, per, per * m.trialsPerSeed()));
        }
        return String.join("; ", parts) + " -> " + trialCount() + " trials";
    }

    /** The folds per seed of a single dataset: K when cross-validating, else 1. */
    public int foldCount() {
        return manifest.dataset() != null && manifest.dataset().crossValidated() ? manifest.dataset().folds() : 1;
    }

    /** The request that loads this plan's dataset from its provider. */
    public org.modelbench.api.spi.DatasetRequest datasetRequest(Path cacheDirectory,
                                                                java.util.function.Consumer<String> log) {
        return new org.modelbench.api.spi.DatasetRequest(datasetConfig, baseDirectory, cacheDirectory, log);
    }

    /**
     * The resolved configuration: the manifest with every default filled in and each model's
     * {@code params} replaced by its family's full config, as a JSON-ready tree. The {@code executor}
     * is left out: no result depends on it, so bundles of every executor resolve the same.
     */
    public Map<String, Object> resolvedTree() {
        Map<String, Object> tree = new LinkedHashMap<>(RecordBinder.toTree(manifest));
        tree.remove("executor");
        if (parts.isEmpty()) {
            // keys a single-dataset manifest leaves out, so its resolved.json stays what it always was
            tree.remove("datasets");
            tree.put("dataset", datasetTree());
        } else {
            tree.remove("dataset");
            tree.put("datasets", parts.stream().map(ExperimentPlan::datasetTree).toList());
        }
        List<Object> resolvedModels = new ArrayList<>();
        for (PlannedModel m : models) {
            Map<String, Object> entry = new LinkedHashMap<>(RecordBinder.toTree(m.spec()));
            if (m.search() == null) {
                entry.remove("search"); // as bundles written before searches existed have it
            }
            entry.put("params", m.search() == null ? RecordBinder.toTree(m.config())
                    : withDistributions(RecordBinder.toTree(m.config()), m.spec().params()));
            // a suite's datasets may each preprocess differently: each model's own preprocessing, as written
            entry.put("preprocessing", manifest.suite() ? RecordBinder.toTree(m.spec()).get("preprocessing")
                    : RecordBinder.toTree(m.spec().effectivePreprocessing(manifest.dataset())));
            entry.put("familyVersion", m.family().info().version());
            entry.put("familyModule", m.family().info().module());
            resolvedModels.add(entry);
        }
        tree.put("models", resolvedModels);
        return tree;
    }

    /** This single-dataset plan's dataset entry with the provider's full params (no label key when none was given). */
    private Map<String, Object> datasetTree() {
        Map<String, Object> data = new LinkedHashMap<>(RecordBinder.toTree(manifest.dataset()));
        if (datasetConfig != null && !(datasetConfig instanceof org.modelbench.api.spi.NoParams)) {
            data.put("params", RecordBinder.toTree(datasetConfig));
        }
        if (data.get("label") == null) {
            data.remove("label");
        }
        return data;
    }

    /**
     * A searched entry's resolved params: its default configuration (every family default filled in)
     * with the distributions as written put back at their keys, so {@code resolved.json} records both.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withDistributions(Map<String, Object> resolved, Map<String, Object> raw) {
        Map<String, Object> out = new LinkedHashMap<>(resolved);
        raw.forEach((key, value) -> {
            if (SearchSpace.firstDistribution(value) == null) {
                return;
            }
            if (value instanceof Map<?, ?> m && out.get(key) instanceof Map<?, ?> r && !isDistribution(m)) {
                out.put(key, withDistributions((Map<String, Object>) r, (Map<String, Object>) m));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }

    private static boolean isDistribution(Map<?, ?> m) {
        return m.size() == 1 && m.keySet().stream().anyMatch(k -> SearchSpace.Kind.of(String.valueOf(k)) != null);
    }
}
