package org.modelbench.app.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataShape;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.api.spi.NoParams;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.plugins.Registered;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxReader;

/**
 * Reads and checks manifests. Every check that can fail on the user's input runs here, before
 * anything is written: syntax, keys and types of the manifest itself, that every family and dataset
 * exists, that every {@code params} block binds to its family's config, that data files exist and
 * that sizes fit the dataset.
 */
public final class ManifestLoader {
    private final PluginRegistry registry;
    private final Path cacheDirectory;

    /** A loader whose dataset providers fetch into the default cache ({@link DataCache#defaultDirectory()}). */
    public ManifestLoader(PluginRegistry registry) {
        this(registry, DataCache.defaultDirectory());
    }

    /** A loader whose dataset providers use {@code cacheDirectory}. */
    public ManifestLoader(PluginRegistry registry, Path cacheDirectory) {
        this.registry = registry;
        this.cacheDirectory = cacheDirectory;
    }

    /**
     * Reads the manifest file at {@code file}.
     *
     * @throws InvalidInputException when the file cannot be read
     * @throws ManifestException     on any problem inside it, with file, line:column and key path
     */
    public ExperimentPlan load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such manifest file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read the manifest: " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return load(file.getFileName().toString(), text, base);
    }

    /**
     * Reads a manifest given as text.
     *
     * @param fileName      for messages and for the format (.json is JSON, anything else YAML)
     * @param baseDirectory the folder relative data file paths are resolved against
     */
    public ExperimentPlan load(String fileName, String text, Path baseDirectory) {
        SourceTree tree = SourceTree.parse(fileName, text);
        if (!(tree.root() instanceof Map)) {
            throw tree.error("", "expected a mapping with keys name, dataset, models, seeds at the top level");
        }
        Manifest manifest;
        try {
            manifest = RecordBinder.bind(tree.root(), Manifest.class, "");
        } catch (ConfigException e) {
            throw tree.error(e);
        }
        if (!manifest.suite()) {
            return planOn(tree, fileName, text, baseDirectory, manifest, "dataset", null);
        }
        List<ExperimentPlan> parts = new ArrayList<>();
        for (int i = 0; i < manifest.datasets().size(); i++) {
            DatasetSpec spec = manifest.datasets().get(i);
            parts.add(planOn(tree, fileName, text, baseDirectory, manifest.on(spec), "datasets[" + i + "]",
                    spec.label()));
        }
        // every part binds the same model entries the same way; only the checks against the data differ
        return new ExperimentPlan(fileName, text, baseDirectory, manifest, parts.get(0).models(), null, null, null,
                Map.of(), parts);
    }

    /**
     * The single-dataset plan of {@code manifest} (one dataset): the dataset exists, its params bind, its
     * files exist, sizes fit, and every model entry binds to its family and can take its samples.
     *
     * @param key   where the dataset entry is in the file: {@code dataset} or {@code datasets[i]}
     * @param label the dataset's label in a suite (named in the models' errors), {@code null} otherwise
     */
    private ExperimentPlan planOn(SourceTree tree, String fileName, String text, Path baseDirectory, Manifest manifest,
                                  String key, String label) {
        Registered<DatasetProvider> dataset = null;
        Record datasetConfig = null;
        DatasetProvider.Info datasetInfo = null;
        Map<String, Path> dataFiles = new LinkedHashMap<>();
        DatasetSpec spec = manifest.dataset();
        if (spec.id() != null) {
            Optional<Registered<DatasetProvider>> found = registry.dataset(spec.id());
            if (found.isEmpty()) {
                throw tree.error(key + ".id", "unknown dataset '" + spec.id() + "'; known: "
                        + String.join(", ", registry.datasets().stream().map(r -> r.info().id()).sorted().toList())
                        + " (modelbench datasets lists them)");
            }
            dataset = found.get();
            DatasetProvider provider = dataset.provider();
            if (provider.configType() == NoParams.class && spec.params() != null && !spec.params().isEmpty()) {
                throw tree.error(key + ".params", "dataset '" + spec.id() + "' takes no params; expected none");
            }
            try {
                datasetConfig = RecordBinder.bind(spec.params(), provider.configType(), key + ".params");
            } catch (ConfigException e) {
                throw tree.error(e);
            }
            datasetInfo = provider.info(new DatasetRequest(datasetConfig, baseDirectory, cacheDirectory, line -> { }));
            if (!spec.crossValidated()) {
                checkSize(tree, key + ".trainSize", spec.trainSize(), datasetInfo.trainSize(), "train");
                checkSize(tree, key + ".testSize", spec.testSize(), datasetInfo.testSize(), "test");
            } else if (spec.folds() > datasetInfo.trainSize() + datasetInfo.testSize()) {
                throw tree.error(key + ".folds", "expected at most "
                        + (datasetInfo.trainSize() + datasetInfo.testSize()) + " folds (one row each), got " + spec.folds());
            }
        } else {
            for (String[] keyed : spec.files().keyed()) {
                String fileKey = key + ".files." + keyed[0];
                Path path = baseDirectory.resolve(keyed[1]).normalize();
                if (!Files.isRegularFile(path)) {
                    throw tree.error(fileKey, "expected an existing IDX file, but " + path + " does not exist");
                }
                dataFiles.put(keyed[0], path);
            }
            checkHeaders(tree, key, dataFiles);
        }
        // the samples' shape, from the provider or from the test images' IDX header; the training
        // rows from the provider or the train images' header, less the validation split
        Shape sampleShape;
        int classes;
        int available;
        if (dataset != null) {
            sampleShape = datasetInfo.sampleShape();
            classes = datasetInfo.classNames().size();
            available = datasetInfo.trainSize();
        } else {
            int[] dims = IdxReader.dimensions(dataFiles.get("testImages"), 3);
            sampleShape = Shape.of(1, dims[1], dims[2]);
            classes = spec.files().classNames().size();
            available = IdxReader.dimensions(dataFiles.get("trainImages"), 3)[0];
        }
        int drawn = spec.trainSize() == null ? available : Math.min(spec.trainSize(), available);
        DataShape data = new DataShape(sampleShape, Math.max(1, classes),
                Math.max(1, drawn - (int) Math.round(drawn * spec.validationSplit())));
        if (manifest.robustness() != null && sampleShape.rank() != 3) {
            throw tree.error(manifest.metrics().contains("robustness") ? "metrics"
                    : "robustness", (label == null ? "" : "dataset '" + label + "': ") + "the attacks perturb pixels (raw values / 255 in [0, 1]) and need "
                    + "image samples [channels, height, width]; the dataset's samples are " + sampleShape
                    + (sampleShape.rank() == 2 ? " (a sequence: channels x length)" : "")
                    + "; drop robustness for this dataset");
        }
        String onDataset = label == null ? "" : "dataset '" + label + "': ";
        List<ExperimentPlan.PlannedModel> models = new ArrayList<>();
        for (int i = 0; i < manifest.models().size(); i++) {
            ModelSpec model = manifest.models().get(i);
            String path = "models[" + i + "]";
            Optional<Registered<ModelFamilyProvider<?>>> family = registry.family(model.family());
            if (family.isEmpty()) {
                List<String> known = registry.families().stream().map(r -> r.info().id()).sorted().toList();
                throw tree.error(path + ".family", "unknown model family '" + model.family() + "'; known: "
                        + (known.isEmpty() ? "none" : String.join(", ", known))
                        + " (is its plugin installed? modelbench plugins lists them)");
            }
            String prefix = label == null ? "" : "model '" + model.id() + "' cannot take dataset '" + label
                    + "' (samples " + sampleShape + ", " + classes + " classes): ";
            SearchSpace search = search(tree, path, model, spec, key);
            Record config = checked(tree, path, prefix, family.get().provider(),
                    search == null ? model.params() : search.defaults(), data);
            if (search != null) {
                for (SearchSpace.Dimension d : search.dimensions()) {
                    for (Object value : d.values().subList(0, Math.min(d.values().size(), CHECKED_OPTIONS))) {
                        checked(tree, path, prefix, family.get().provider(), search.withOne(d.key(), value), data);
                    }
                }
            }
            models.add(new ExperimentPlan.PlannedModel(model, family.get(), config, search));
        }
        return new ExperimentPlan(fileName, text, baseDirectory, manifest, models, dataset, datasetConfig, datasetInfo,
                dataFiles, List.of());
    }

    /** The options of each searched key bound and checked against the family (each key on its own). */
    private static final int CHECKED_OPTIONS = 64;

    /** The search space of a model entry, or {@code null}; a distribution without a search is an error. */
    private static SearchSpace search(SourceTree tree, String path, ModelSpec model, DatasetSpec dataset,
                                      String datasetKey) {
        if (model.search() == null) {
            String key = SearchSpace.firstDistribution(model.params());
            if (key != null) {
                throw tree.error(path + ".params." + key, "a searched value needs search: {strategy: grid|random} "
                        + "on the model entry; expected a plain value without one");
            }
            return null;
        }
        if (dataset.validationSplit() <= 0) {
            throw tree.error(path + ".search", "candidates are selected on the validation rows; expected "
                    + datasetKey + ".validationSplit > 0 (e.g. 0.1)");
        }
        try {
            return SearchSpace.of(model.params(), model.search(), model.id());
        } catch (ConfigException e) {
            throw tree.error(path + "." + e.key(), e.expectation());
        }
    }

    /**
     * {@code params} bound to the family's config and checked by its trainer and against the data.
     *
     * @param prefix put before a message of the check against the data (naming a suite's dataset), or empty
     */
    private Record checked(SourceTree tree, String path, String prefix, ModelFamilyProvider<?> provider,
                           Map<String, Object> params, DataShape data) {
        Record config;
        try {
            config = RecordBinder.bind(params, provider.configType(), path + ".params");
        } catch (ConfigException e) {
            throw tree.error(e);
        }
        checkTrainer(tree, path + ".params", provider, config, registry.context());
        checkAgainstData(tree, path + ".params", prefix, provider, config, data, registry.context());
        return config;
    }

    /**
     * Reads the header of every IDX file named (nothing more): images must be rank 3, labels rank 1,
     * and each split's image and label counts must agree, so a wrong file fails the check, not a trial.
     */
    private static void checkHeaders(SourceTree tree, String key, Map<String, Path> dataFiles) {
        Map<String, int[]> dims = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : dataFiles.entrySet()) {
            int rank = e.getKey().endsWith("Labels") ? 1 : e.getKey().endsWith("Images") ? 3 : -1;
            if (rank < 0) {
                continue;
            }
            try {
                dims.put(e.getKey(), IdxReader.dimensions(e.getValue(), rank));
            } catch (InvalidInputException bad) {
                throw tree.error(key + ".files." + e.getKey(), bad.getMessage());
            }
        }
        for (String split : List.of("train", "test")) {
            int[] images = dims.get(split + "Images");
            int[] labels = dims.get(split + "Labels");
            if (images != null && labels != null && images[0] != labels[0]) {
                throw tree.error(key + ".files." + split + "Labels", dataFiles.get(split + "Labels") + " holds "
                        + labels[0] + " labels but " + dataFiles.get(split + "Images") + " holds " + images[0]
                        + " images; expected the same count");
            }
        }
    }

    /** Builds the family's trainer once, so that checks a family makes there also fail before anything runs. */
    @SuppressWarnings("unchecked")
    private static <C extends Record> void checkTrainer(SourceTree tree, String path, ModelFamilyProvider<?> provider,
                                                        Record config, ProviderContext providers) {
        ModelFamilyProvider<C> family = (ModelFamilyProvider<C>) provider;
        try {
            family.trainer(family.configType().cast(config), providers);
        } catch (ConfigException e) {
            throw tree.error(path + "." + e.key(), e.expectation());
        } catch (InvalidInputException e) {
            throw tree.error(path, e.getMessage());
        }
    }

    /** The family's cheap check of the config against the data (layers that do not fit, k > rows ...). */
    @SuppressWarnings("unchecked")
    private static <C extends Record> void checkAgainstData(SourceTree tree, String path, String prefix,
                                                            ModelFamilyProvider<?> provider, Record config,
                                                            DataShape data, ProviderContext providers) {
        ModelFamilyProvider<C> family = (ModelFamilyProvider<C>) provider;
        try {
            family.check(family.configType().cast(config), data, providers);
        } catch (ConfigException e) {
            throw tree.error(path + "." + e.key(), prefix + e.expectation());
        } catch (InvalidInputException e) {
            throw tree.error(path, prefix + e.getMessage());
        }
    }

    private static void checkSize(SourceTree tree, String key, Integer requested, int available, String split) {
        if (requested != null && requested > available) {
            throw tree.error(key, "expected at most " + available + " (the " + split + " split's size), got "
                    + requested);
        }
    }
}
