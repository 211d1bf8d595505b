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
 */
public record ExperimentPlan(String fileName, String text, Path baseDirectory, Manifest manifest,
                             List<PlannedModel> models, Registered<DatasetProvider> dataset, Record datasetConfig,
                             DatasetProvider.Info datasetInfo, Map<String, Path> dataFiles) {

    public ExperimentPlan {
        models = List.copyOf(models);
        dataFiles = Map.copyOf(dataFiles);
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

    /** The number of trials: models x seeds (x folds when cross-validating). */
    public int trialCount() {
        return models.size() * manifest.seeds().size() * foldCount();
    }

    /** The folds per seed: K when cross-validating, else 1. */
    public int foldCount() {
        return manifest.dataset().crossValidated() ? manifest.dataset().folds() : 1;
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
        if (datasetConfig != null && !(datasetConfig instanceof org.modelbench.api.spi.NoParams)) {
            Map<String, Object> data = new LinkedHashMap<>(RecordBinder.toTree(manifest.dataset()));
            data.put("params", RecordBinder.toTree(datasetConfig));
            tree.put("dataset", data);
        }
        List<Object> resolvedModels = new ArrayList<>();
        for (PlannedModel m : models) {
            Map<String, Object> entry = new LinkedHashMap<>(RecordBinder.toTree(m.spec()));
            entry.put("params", RecordBinder.toTree(m.config()));
            entry.put("preprocessing", RecordBinder.toTree(m.spec().effectivePreprocessing(manifest.dataset())));
            entry.put("familyVersion", m.family().info().version());
            entry.put("familyModule", m.family().info().module());
            resolvedModels.add(entry);
        }
        tree.put("models", resolvedModels);
        return tree;
    }
}
