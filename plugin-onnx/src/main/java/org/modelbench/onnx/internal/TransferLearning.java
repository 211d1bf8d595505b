package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.data.DataCache;
import org.modelbench.engine.config.OptimizerConfig;
import org.modelbench.engine.config.TrainingSettings;
import org.modelbench.engine.graph.AlgorithmRevision;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkTrainer;
import org.modelbench.engine.graph.TrainingHistory;
import org.modelbench.engine.kernels.Sgemm;
import org.modelbench.onnx.config.BaseConfig;
import org.modelbench.onnx.config.FineTuneConfig;
import org.modelbench.onnx.config.PretrainConfig;
import org.modelbench.onnx.config.TransferConfig;

/**
 * The {@code onnx-transfer} family's training: import the base, cut it, freeze it; compute (or read
 * from the cache) its features once; train the engine head on them; optionally unfreeze the last
 * base layers and fine-tune the whole network with its own learning rate; export the result to
 * ONNX and predict through that export, so that a saved and reloaded model predicts bit-identically.
 */
public final class TransferLearning {
    public static final String FAMILY = "onnx-transfer";

    private TransferLearning() {
    }

    /**
     * Trains a transfer model.
     *
     * @param runMemoryBudget the run's memory budget in bytes ({@code --max-memory}), used when the
     *                        config gives no {@code maxMemoryMb}
     */
    public static Model train(TransferConfig config, Dataset train, Optional<Dataset> validation, RunContext context,
                              String version, ProviderCatalogue providers, long runMemoryBudget) {
        BaseConfig base = config.base();
        Path baseFile = base.pretrain() != null ? pretrainedBase(base.pretrain(), context, providers)
                : BaseModelFiles.resolve(base.file());
        OnnxModelFile model = BaseModelFiles.load(baseFile);
        String cut = base.cutAt() == null ? model.graph().getOutput(0).getName() : model.resolveCut(base.cutAt());
        Shape chw = Preprocessing.outputShape(base.preprocessing(), train.sampleShape());
        Preprocessing.checkAgainstModel(model, chw, base.preprocessing().nhwc(), "base.preprocessing");
        NativeGraph graph = OnnxImporter.importModel(model);
        graph.freezeAll();
        OnnxGraphLayer baseLayer = new OnnxGraphLayer(graph, cut, base.preprocessing().nhwc(), chw);
        MemoryBudget budget = config.maxMemoryMb() != null ? MemoryBudget.of(config.maxMemoryMb())
                : new MemoryBudget(runMemoryBudget);
        Consumer<String> warnings = line -> context.emit(new TrainingEvent.Message(line));
        FrozenFeatures frozenFeatures = new FrozenFeatures(model, graph, base, chw, budget,
                trainingCache(config, context), context.threads(), warnings);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("engine", "modelbench native ONNX import + engine-java head");
        details.put("baseFile", baseFile.toString());
        details.put("baseSha256", Sha256Hex.sha256(model.proto().toByteArray()));
        details.put("cutAt", cut);
        // the kernel the bits of the interpreter's and the head's products came from
        details.put("sgemm", Sgemm.provenance());
        details.put("interpreterKernels", Blas.inferenceKernels());
        details.put(AlgorithmRevision.DETAIL, AlgorithmRevision.provenance());
        details.put("baseParameters", String.valueOf(graph.parameterCount(List.of(cut))));
        details.put("baseEngine", base.engine());

        Network head = buildHead(config, baseLayer.outputShape(), context.derivedSeed("init"), providers);
        Map<String, Record> configs = new LinkedHashMap<>();
        head.nodes().forEach(n -> configs.put(n.name(), n.config()));
        TrainingSettings headSettings = new TrainingSettings(config.epochs(), config.batchSize(), config.optimizer(), null,
                null, null);
        TrainingHistory headHistory;
        FineTuneConfig fine = config.fineTune();
        TrainingStages stages = new TrainingStages(context, config.epochs(), fine == null ? 0 : fine.epochs());
        RunContext headContext = fine == null ? context : stages.first();
        String frozenPrefix = cut;
        List<String> unfrozen = null;
        // with a frozen base and fine-tuning, the features where fine-tuning begins come from the same
        // pass of the base as the head's (the base runs once); the head trains on features alone, so
        // unfreezing first changes nothing for it
        FrozenFeatures.Result prefixTrain = null;
        Optional<Dataset> prefixVal = Optional.empty();
        if (base.frozen()) {
            long start = System.nanoTime();
            List<String> values = List.of(cut);
            if (fine != null) {
                unfrozen = unfreeze(graph, cut, fine);
                String from = FrozenSplit.boundary(graph, cut);
                if (!from.equals(cut) && !from.equals(graph.inputs().get(0).name())) {
                    values = List.of(cut, from);
                }
            }
            List<String> wanted = values;
            List<FrozenFeatures.Result> trainFeatures = frozenFeatures.of(train, wanted);
            Optional<List<FrozenFeatures.Result>> valFeatures = validation.map(v -> frozenFeatures.of(v, wanted));
            FrozenFeatures.Result featTrain = trainFeatures.get(0);
            Optional<Dataset> featVal = valFeatures.map(v -> v.get(0).features());
            if (wanted.size() == 2) {
                prefixTrain = trainFeatures.get(1); // not the list: the head's features may go once it is trained
                prefixVal = valFeatures.map(v -> v.get(1).features());
                details.put("fineTuneFeatures", "from the head's pass of the base (" + wanted.get(1) + ")");
            }
            details.put("featureCache", featTrain.cacheNote());
            details.put("featureRowsComputed", String.valueOf(featTrain.rowsComputed()
                    + valFeatures.map(v -> v.get(0).rowsComputed()).orElse(0L)));
            details.put("featureSamplesPerPass", String.valueOf(featTrain.samplesPerPass()));
            details.put("featureSeconds", String.format(java.util.Locale.ROOT, "%.2f", (System.nanoTime() - start) / 1e9));
            context.emit(new TrainingEvent.Message("onnx-transfer: frozen-base features "
                    + featTrain.features().features().shape() + " on " + base.engine()
                    + (featTrain.hit() ? " read from the cache" : featTrain.cacheNote().startsWith("partly")
                    ? " partly read from the cache" : " computed") + "; training the head"));
            headHistory = new NetworkTrainer(headSettings).fit(head, featTrain.features(), featVal, headContext);
        } else {
            graph.parameters().values().forEach(p -> p.setTrainable(true));
            frozenPrefix = graph.inputs().get(0).name();
            headHistory = new NetworkTrainer(headSettings).fit(join(baseLayer, head, chw, context),
                    preprocessed(train, base), validation.map(v -> preprocessed(v, base)), headContext);
        }
        details.put("headEpochs", String.valueOf(headHistory.epochs().size()));
        details.put("headFinalTrainAccuracy", last(headHistory, true));
        details.put("headFinalValidationAccuracy", last(headHistory, false));
        details.put("trainableDuringHead", base.frozen() ? "head only" : "base and head");

        Network full = join(baseLayer, head, chw, context);
        if (fine != null) {
            if (unfrozen == null) {
                unfrozen = unfreeze(graph, cut, fine);
            }
            frozenPrefix = FrozenSplit.boundary(graph, cut);
            context.emit(new TrainingEvent.Message("onnx-transfer: fine-tuning base layers " + unfrozen
                    + " with learning rate " + fine.learningRate() + "; the frozen part up to '" + frozenPrefix
                    + "' runs on " + base.engine()));
            TrainingSettings fineSettings = new TrainingSettings(fine.epochs(), config.batchSize(),
                    OptimizerConfig.of(config.optimizer().type(), fine.learningRate()), null, null, null);
            TrainingHistory fineHistory;
            if (frozenPrefix.equals(graph.inputs().get(0).name())) {
                fineHistory = new NetworkTrainer(fineSettings).fit(full, preprocessed(train, base),
                        validation.map(v -> preprocessed(v, base)), stages.second());
            } else {
                String from = frozenPrefix;
                FrozenFeatures.Result fromTrain;
                Optional<Dataset> fromVal;
                if (prefixTrain != null) {
                    fromTrain = prefixTrain;
                    fromVal = prefixVal;
                } else {
                    fromTrain = frozenFeatures.of(train, from);
                    fromVal = validation.map(v -> frozenFeatures.of(v, from).features());
                }
                Shape prefixShape = fromTrain.features().sampleShape();
                OnnxGraphLayer trainable = new OnnxGraphLayer(graph, from, cut, false, prefixShape);
                details.put("fineTuneFeatureCache", fromTrain.cacheNote());
                fineHistory = new NetworkTrainer(fineSettings).fit(join(trainable, head, prefixShape, context),
                        fromTrain.features(), fromVal, stages.second());
            }
            details.put("fineTuneEpochs", String.valueOf(fineHistory.epochs().size()));
            details.put("fineTuneFinalTrainAccuracy", last(fineHistory, true));
            details.put("fineTuneFinalValidationAccuracy", last(fineHistory, false));
            details.put("trainableDuringFineTune", "head and base layers " + unfrozen);
        }
        List<String> trainable = new ArrayList<>();
        for (NativeGraph.Node n : graph.layers()) {
            if (graph.parametersOf(n).stream().anyMatch(Parameter::trainable)) {
                trainable.add(n.name());
            }
        }
        details.put("trainableBaseLayers", trainable.isEmpty() ? "none" : String.join(", ", trainable));
        details.put("headLayers", String.join(", ", head.nodes().stream().map(n -> n.name() + ":" + n.layer().type()).toList()));
        List<String> trainableNodes = new ArrayList<>();
        trainable.forEach(n -> trainableNodes.add("base/" + n));
        head.nodes().forEach(n -> trainableNodes.add(n.name()));
        details.put("trainableNodes", String.join(", ", trainableNodes));
        ModelProto exported = OnnxExporter.export(full, configs);
        details.put(FROZEN_PREFIX_OUTPUT, exportedName(exported, "base", frozenPrefix, graph));
        ModelProvenance provenance = new ModelProvenance(FAMILY, version, config, context.seed(), context.threads(), details);
        return classifier(exported, config, train.sampleShape(), train.classNames(), provenance,
                config.cacheFeatures() ? sharedCache(context) : null, System.err::println);
    }

    /** The run's shared feature cache folder, or null when the run has none. */
    private static Path sharedCache(RunContext context) {
        return context.sharedCache() == null ? null : context.sharedCache().resolve("onnx-features");
    }

    /** Where training caches features: the run's shared cache, else the trial's work folder; null when off. */
    private static Path trainingCache(TransferConfig config, RunContext context) {
        if (!config.cacheFeatures()) {
            return null;
        }
        Path shared = sharedCache(context);
        return shared != null ? shared : context.workDirectory().resolve("onnx-features");
    }

    /**
     * Provenance detail: the value of the saved {@code model.onnx} up to which the network is frozen
     * (computed by the base's engine), or {@code input} when everything runs natively.
     */
    static final String FROZEN_PREFIX_OUTPUT = "frozenPrefixOutput";

    /** The name that the exporter gave base value {@code value} (the graph input maps to {@code input}). */
    private static String exportedName(ModelProto exported, String prefix, String value, NativeGraph graph) {
        if (value.equals(graph.inputs().get(0).name())) {
            return "input";
        }
        String wanted = prefix + "/" + value;
        boolean produced = exported.getGraph().getNodeList().stream().anyMatch(n -> n.getOutputList().contains(wanted));
        return produced ? wanted : "input";
    }

    /** A dataset preprocessed as a whole (only for training a base that is not frozen). */
    private static Dataset preprocessed(Dataset data, BaseConfig base) {
        return data.withFeatures(Preprocessing.apply(base.preprocessing(), data.features()));
    }

    private static String last(TrainingHistory h, boolean train) {
        if (h.epochs().isEmpty()) {
            return "NaN";
        }
        TrainingHistory.Epoch e = h.epochs().get(h.epochs().size() - 1);
        return String.format(java.util.Locale.ROOT, "%.4f", train ? e.trainAccuracy() : e.validationAccuracy());
    }

    /**
     * The classifier that predicts through the exported model (its input is preprocessed NCHW): the
     * frozen part (up to provenance detail {@value #FROZEN_PREFIX_OUTPUT}) on the base's engine, the
     * rest natively, in passes sized from the memory budget. Its summary has one row per node with
     * parameters, the output shape from a one-sample probe, and whether it was trainable in the last
     * training stage (provenance detail {@code trainableNodes}).
     */
    static Model classifier(ModelProto exported, TransferConfig config, Shape sampleShape, List<String> classNames,
                            ModelProvenance provenance) {
        return classifier(exported, config, sampleShape, classNames, provenance, null, line -> { });
    }

    /**
     * As {@link #classifier(ModelProto, TransferConfig, Shape, List, ModelProvenance)}, with the frozen
     * part's outputs cached row by row in {@code cacheDirectory} (null: none) so that every trial of a
     * run that predicts the same rows with the same frozen part computes them once.
     */
    static Model classifier(ModelProto exported, TransferConfig config, Shape sampleShape, List<String> classNames,
                            ModelProvenance provenance, Path cacheDirectory, Consumer<String> warnings) {
        OnnxModelFile file = OnnxModelFile.of(Path.of(FAMILY + ".onnx"), exported);
        NativeGraph graph = OnnxImporter.importModel(file);
        String output = graph.outputs().get(0);
        List<NativeGraph.Node> layers = graph.layers();
        Shape chw = Preprocessing.outputShape(config.base().preprocessing(), sampleShape);
        List<String> wanted = layers.stream().map(n -> n.outputs().get(0)).toList();
        Map<String, Value> probe = graph.run(Map.of(graph.inputs().get(0).name(),
                Value.zeros(chw.withBatch(1).dims())), wanted, 1);
        List<String> trainable = List.of(provenance.details().getOrDefault("trainableNodes", "").split(", "));
        List<ModelSummary.Row> rows = new ArrayList<>();
        for (NativeGraph.Node n : layers) {
            int[] dims = probe.get(n.outputs().get(0)).dims();
            long count = graph.parametersOf(n).stream().mapToLong(Parameter::size).sum();
            rows.add(new ModelSummary.Row(n.name(), n.opType(), Shape.of(java.util.Arrays.copyOfRange(dims, 1, dims.length)),
                    count, trainable.contains(n.name())));
        }
        String prefix = provenance.details().getOrDefault(FROZEN_PREFIX_OUTPUT, "input");
        Function<Value, Value> runner = FrozenSplit.runner(file, graph, prefix, output, config.base().engine(),
                new RowFeatureCache(cacheDirectory, v -> FrozenFeatures.computationKey(file, config.base().engine(), v),
                        warnings));
        return new NativeGraphClassifier(FAMILY, sampleShape, classNames, config.base().preprocessing(), false, exported,
                graph, output, graph.parameterCount(), new ModelSummary(FAMILY, rows), provenance, runner,
                MemoryBudget.of(config.maxMemoryMb()));
    }

    /** Reloads a saved transfer model. */
    public static Model load(Path directory, String version) {
        ModelDirectory saved = ModelDirectory.read(directory, FAMILY);
        TransferConfig config = saved.config(TransferConfig.class, directory);
        return classifier(saved.onnx(), config, saved.sampleShape(), saved.classNames(),
                new ModelProvenance(FAMILY, version, config, saved.seed(), saved.threads(), saved.details()));
    }

    private static Network buildHead(TransferConfig config, Shape featureShape, long seed, ProviderCatalogue providers) {
        Network.Builder b = Network.builder("head", featureShape, seed, providers);
        for (int i = 0; i < config.head().size(); i++) {
            b.add(config.head().get(i), "head[" + i + "]");
        }
        return b.build();
    }

    /** The base layer followed by the head's layers (the same instances). */
    private static Network join(OnnxGraphLayer base, Network head, Shape chw, RunContext context) {
        Network.Builder b = Network.builder("onnx-transfer", chw, context.derivedSeed("join"));
        b.add("base", base, Network.INPUT);
        for (Network.Node n : head.nodes()) {
            String[] inputs = n.inputs().stream().map(i -> i.equals(Network.INPUT) ? "base" : i).toArray(String[]::new);
            b.add(n.name(), n.layer(), inputs);
        }
        return b.build();
    }

    /** Unfreezes the last base layers before the cut; returns their node names. */
    static List<String> unfreeze(NativeGraph graph, String cut, FineTuneConfig fine) {
        List<NativeGraph.Node> needed = graph.plan(List.of(cut));
        List<NativeGraph.Node> layers = needed.stream().filter(n -> !graph.parametersOf(n).isEmpty()).toList();
        if (layers.isEmpty()) {
            throw new InvalidInputException("fineTune: the base has no layers with parameters before '" + cut + "'");
        }
        int from;
        if (fine.unfreezeFrom() != null) {
            from = -1;
            for (int i = 0; i < layers.size() && from < 0; i++) {
                if (layers.get(i).name().contains(fine.unfreezeFrom())) {
                    from = i;
                }
            }
            if (from < 0) {
                throw new InvalidInputException("fineTune.unfreezeFrom: no base layer before '" + cut + "' has a name "
                        + "containing '" + fine.unfreezeFrom() + "'; layers: " + layers.stream().map(NativeGraph.Node::name).toList());
            }
        } else {
            from = Math.max(0, layers.size() - fine.unfreezeLast());
        }
        List<String> names = new ArrayList<>();
        for (NativeGraph.Node n : layers.subList(from, layers.size())) {
            for (Parameter p : graph.parametersOf(n)) {
                p.setTrainable(true);
                if (p.value().shape().rank() > 1) {
                    p.setL2(fine.l2());
                }
            }
            names.add(n.name());
        }
        return names;
    }

    /**
     * The pretrained base: the seed-cnn architecture trained with the engine on the pretrain dataset
     * (pixels scaled by 1/255) and exported to ONNX; cached in the data cache folder by config.
     */
    static Path pretrainedBase(PretrainConfig pretrain, RunContext context, ProviderCatalogue providers) {
        return pretrainedBase(pretrain, context, providers, DataCache.defaultDirectory().resolve("onnx-pretrain"));
    }

    static Path pretrainedBase(PretrainConfig pretrain, RunContext context, ProviderCatalogue providers,
                               Path cacheDirectory) {
        String key = Sha256Hex.sha256(RecordBinder.toTree(pretrain).toString().getBytes()).substring(0, 16);
        Path file = cacheDirectory.resolve("seed-cnn-" + key + ".onnx");
        if (Files.isRegularFile(file)) {
            context.emit(new TrainingEvent.Message("onnx-transfer: using the pretrained base " + file));
            return file;
        }
        DatasetProvider provider = providers.dataset(pretrain.dataset()).orElseThrow(() -> new InvalidInputException("base.pretrain.dataset: no dataset provider '"
                        + pretrain.dataset() + "'"));
        DatasetSplits splits = provider.load(DataCache.defaultDirectory(),
                line -> context.emit(new TrainingEvent.Message(line)));
        Dataset data = splits.train().slice(0, Math.min(pretrain.samples(), splits.train().size()));
        float[] scaled = data.features().data().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] /= 255f;
        }
        data = data.withFeatures(Tensor.of(data.features().shape(), scaled));
        // Pretraining is not this trial's training: its epochs go to no listener (only messages above do).
        RunContext own = new RunContext(pretrain.seed(), context.threads(), List.of(), context.workDirectory());
        Network net = seedCnn(data.sampleShape(), data.numClasses(), own.derivedSeed("init"));
        context.emit(new TrainingEvent.Message("onnx-transfer: pretraining seed-cnn on " + data.size() + " "
                + pretrain.dataset() + " images for " + pretrain.epochs() + " epoch(s)"));
        new NetworkTrainer(new TrainingSettings(pretrain.epochs(), pretrain.batchSize(), null, null, null, null))
                .fit(net, data, Optional.empty(), own);
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        AtomicFiles.write(file, OnnxExporter.export(net, configs).toByteArray());
        return file;
    }

    /** Keras' mnist_cnn (the engine's seed-cnn preset) built from engine layer specs. */
    static Network seedCnn(Shape sample, int classes, long seed) {
        Network.Builder b = Network.builder("seed-cnn", sample, seed);
        b.add(spec("conv2d_1", "conv2d", "filters", 32, "kernel", 3, "activation", "relu"), "layers[0]");
        b.add(spec("conv2d_2", "conv2d", "filters", 64, "kernel", 3, "activation", "relu"), "layers[1]");
        b.add(spec("max_pooling2d_1", "maxpool2d", "pool", 2, "stride", 2), "layers[2]");
        b.add(spec("dropout_1", "dropout", "rate", 0.25), "layers[3]");
        b.add(spec("flatten_1", "flatten"), "layers[4]");
        b.add(spec("dense_1", "dense", "units", 128, "activation", "relu"), "layers[5]");
        b.add(spec("dropout_2", "dropout", "rate", 0.5), "layers[6]");
        b.add(spec("dense_2", "dense", "units", classes, "activation", "softmax"), "layers[7]");
        return b.build();
    }

    /** A layer spec {@code {type, name, key: value ...}} for {@link Network.Builder#add(Map, String)}. */
    static Map<String, Object> spec(String name, String type, Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("name", name);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
