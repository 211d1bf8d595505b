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
     * @param config the family's config record, all defaults filled in
     */
    public record PlannedModel(ModelSpec spec, Registered<ModelFamilyProvider<?>> family, Record config) {
    }

    /** The number of trials: models x seeds (x folds when cross-validating), summed over a suite's datasets. */
    public int trialCount() {
        if (!parts.isEmpty()) {
            return parts.stream().mapToInt(ExperimentPlan::trialCount).sum();
        }
        return models.size() * manifest.seeds().size() * foldCount();
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
     * {@code params} replaced by its family's full config, as a JSON-ready tree.
     */
    public Map<String, Object> resolvedTree() {
        Map<String, Object> tree = new LinkedHashMap<>(RecordBinder.toTree(manifest));
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
            entry.put("params", RecordBinder.toTree(m.config()));
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
}
