package org.modelbench.app.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.modelbench.api.ConfigException;

/**
 * An experiment: which models to train on which data with which seeds, and what to report.
 * Documented field by field in {@code docs/manifest.md}.
 *
 * @param name        a folder-safe name, used for {@code runs/<name>/<timestamp>/}
 * @param description free text for the report
 * @param dataset     the data and its preprocessing; exclusive with {@code datasets}
 * @param datasets    a suite: several datasets, each with a label unique in the manifest; every model runs on each
 * @param models      the model entries, at least one, unique ids
 * @param seeds       the root seeds, at least one, unique, {@code >= 0}; every model runs once per seed
 * @param metrics     the metrics shown in the comparison table, in order
 * @param outputs     where the bundle goes and what it holds
 * @param robustness  the adversarial evaluation; given (or {@code robustness} in {@code metrics}) turns it on
 * @param executor    where the trials run by default and that executor's settings (no result depends on it)
 */
public record Manifest(String name, String description, DatasetSpec dataset, List<DatasetSpec> datasets,
                       List<ModelSpec> models, List<Long> seeds, List<String> metrics, Outputs outputs,
                       Robustness robustness, ExecutorSettings executor) {

    /** The metrics shown when a manifest lists none; every trial's {@code metrics.json} holds all of them. */
    public static final List<String> DEFAULT_METRICS = List.of("accuracy", "logLoss", "macroF1", "trainingSeconds",
            "inferenceSamplesPerSecond", "parameterCount");

    /**
     * The metrics a manifest may list: the defaults and {@code robustness} (the mean, over the
     * epsilons, of the accuracy under the strongest attack), which also turns the evaluation on.
     */
    public static final List<String> KNOWN_METRICS = java.util.stream.Stream.concat(DEFAULT_METRICS.stream(),
            java.util.stream.Stream.of("robustness")).toList();

    public Manifest {
        name = Names.require(name, "name");
        description = description == null ? "" : description;
        if (dataset != null && datasets != null) {
            throw new ConfigException("datasets", "expected either 'dataset' (one) or 'datasets' (a suite), got both");
        }
        if (dataset == null && datasets == null) {
            throw new ConfigException("dataset", "missing; expected a mapping with an 'id' or 'files' (or 'datasets', "
                    + "a list of them)");
        }
        if (datasets != null) {
            datasets = labelled(datasets);
        }
        if (models == null || models.isEmpty()) {
            throw new ConfigException("models", "expected a non-empty list of models, got "
                    + (models == null ? "nothing" : "an empty list"));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            if (!ids.add(models.get(i).id())) {
                throw new ConfigException("models[" + i + "].id", "expected a unique model id, got \""
                        + models.get(i).id() + "\" a second time");
            }
        }
        if (seeds == null || seeds.isEmpty()) {
            throw new ConfigException("seeds", "expected a non-empty list of integer seeds, got "
                    + (seeds == null ? "nothing" : "an empty list"));
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            Long seed = seeds.get(i);
            if (seed == null || seed < 0) {
                throw new ConfigException("seeds[" + i + "]", "expected an integer >= 0, got " + seed);
            }
            if (!seen.add(seed)) {
                throw new ConfigException("seeds[" + i + "]", "expected unique seeds, got " + seed + " twice");
            }
        }
        metrics = metrics == null ? DEFAULT_METRICS : List.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new ConfigException("metrics", "expected at least one of " + String.join(", ", KNOWN_METRICS)
                    + ", got an empty list");
        }
        for (int i = 0; i < metrics.size(); i++) {
            if (!KNOWN_METRICS.contains(metrics.get(i))) {
                throw new ConfigException("metrics[" + i + "]", "expected one of " + String.join(", ", KNOWN_METRICS)
                        + ", got \"" + metrics.get(i) + "\"");
            }
        }
        outputs = outputs == null ? new Outputs(null, null) : outputs;
        if (robustness == null && metrics.contains("robustness")) {
            robustness = Robustness.DEFAULT;
        }
        String surrogate = robustness == null ? null : robustness.surrogate();
        if (surrogate != null && models.stream().noneMatch(m -> m.id().equals(surrogate))) {
            throw new ConfigException("robustness.surrogate", "expected the id of a model of this manifest ("
                    + String.join(", ", models.stream().map(ModelSpec::id).toList()) + "), got \""
                    + surrogate + "\"");
        }
        executor = executor == null ? ExecutorSettings.DEFAULT : executor;
        for (String model : executor.slurm().modelMemory().keySet()) {
            if (models.stream().noneMatch(m -> m.id().equals(model))) {
                throw new ConfigException("executor.slurm.modelMemory." + model, "expected the id of a model of this "
                        + "manifest (" + String.join(", ", models.stream().map(ModelSpec::id).toList()) + ")");
            }
        }
        models = List.copyOf(models);
        seeds = List.copyOf(seeds);
    }

    /** Each entry with its label (default: its provider id), checked folder-safe and unique. */
    private static List<DatasetSpec> labelled(List<DatasetSpec> datasets) {
        if (datasets.isEmpty()) {
            throw new ConfigException("datasets", "expected a non-empty list of datasets, got an empty list");
        }
        List<DatasetSpec> out = new java.util.ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < datasets.size(); i++) {
            DatasetSpec d = datasets.get(i);
            if (d == null) {
                throw new ConfigException("datasets[" + i + "]",
                        "expected a mapping with an 'id' or 'files', got nothing");
            }
            if (d.label() == null && d.id() == null) {
                throw new ConfigException("datasets[" + i + "].label", "missing; expected a name for the IDX files");
            }
            String label = d.label() != null ? d.label() : Names.require(d.id(), "datasets[" + i + "].label");
            if (!labels.add(label)) {
                throw new ConfigException("datasets[" + i + "].label", "expected a unique dataset label, got \""
                        + label + "\" a second time (give each entry its own 'label')");
            }
            out.add(d.labelled(label));
        }
        return List.copyOf(out);
    }

    /** Whether this manifest is a suite ({@code datasets:}). */
    public boolean suite() {
        return datasets != null;
    }

    /** The datasets: the suite's, in order, or the one {@code dataset}. */
    public List<DatasetSpec> allDatasets() {
        return datasets != null ? datasets : List.of(dataset);
    }

    /** This manifest on {@code data} alone: what each dataset of a suite runs as. */
    public Manifest on(DatasetSpec data) {
        return new Manifest(name, description, data, null, models, seeds, metrics, outputs, robustness, executor);
    }
}
