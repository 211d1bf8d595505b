package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingDivergedException;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.config.CnnConfig;
import org.modelbench.engine.config.LogRegConfig;
import org.modelbench.engine.config.MlpConfig;
import org.modelbench.engine.config.PresetConfig;

class FamiliesTest {

    static CnnConfig cnn(List<Map<String, Object>> layers, Map<String, Object> training) {
        Map<String, Object> params = new java.util.LinkedHashMap<>(training);
        params.put("layers", layers);
        return RecordBinder.bind(params, CnnConfig.class, "params");
    }

    @Test
    void providersAreDiscoverable() {
        List<String> families = ServiceLoader.load(ModelFamilyProvider.class).stream()
                .map(p -> p.get().id()).collect(Collectors.toList());
        assertTrue(families.containsAll(List.of("logreg", "mlp", "cnn", "seed-cnn", "cnn1d", "lenet5", "alexnet",
                "vgg16")),
                families.toString());
        List<String> layers = ServiceLoader.load(LayerProvider.class).stream()
                .map(p -> p.get().id()).collect(Collectors.toList());
        assertEquals(19, layers.size(), layers.toString());
    }

    @Test
    void seedCnnSummaryMatchesKeras() {
        Model model = new Families.SeedCnn().initialModel(PresetConfig.defaults(), Shape.of(1, 28, 28), 10, 1, ProviderContext.empty())
                .orElseThrow();
        ModelSummary s = model.summary();
        assertEquals(1_199_882, s.totalParameters());
        assertEquals(1_199_882, model.parameterCount());
        List<String> shapes = s.rows().stream().map(r -> r.name() + " " + r.type() + " " + r.outputShape() + " "
                + r.parameters()).toList();
        assertEquals(List.of("conv2d_1 conv2d 32x26x26 320", "conv2d_2 conv2d 64x24x24 18496",
                "maxpool2d_1 maxpool2d 64x12x12 0", "dropout_1 dropout 64x12x12 0", "flatten_1 flatten 9216 0",
                "dense_1 dense 128 1179776", "dropout_2 dropout 128 0", "dense_2 dense 10 1290"), shapes);
        assertTrue(s.rows().stream().allMatch(ModelSummary.Row::trainable));
    }

    @Test
    void presetParameterCounts() {
        PresetConfig c = PresetConfig.defaults();
        assertEquals(61_706, new Families.Lenet5().initialModel(c, Shape.of(1, 28, 28), 10, 1, ProviderContext.empty()).orElseThrow()
                .parameterCount());
        assertEquals(62_378_344, new Families.AlexNet().initialModel(c, Shape.of(3, 227, 227), 1000, 1, ProviderContext.empty()).orElseThrow()
                .parameterCount());
        Model vgg = new Families.Vgg16().initialModel(c, Shape.of(3, 224, 224), 1000, 1, ProviderContext.empty()).orElseThrow();
        assertEquals(138_357_544, vgg.parameterCount());
        assertEquals(Shape.of(512, 7, 7), vgg.summary().rows().get(17).outputShape());
    }

    @Test
    void badLayerSpecsNameModelAndLayer() {
        Map<String, Object> train = Map.of("epochs", 1);
        var family = new Families.Cnn();
        Shape mnist = Shape.of(1, 28, 28);
        ConfigException negative = assertThrows(ConfigException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "conv2d", "filters", -3, "kernel", 3)), train), mnist, 10, 1, ProviderContext.empty()));
        assertEquals("layers[0].filters: model cnn, layer 1 (conv2d): expected an integer >= 1, got -3",
                negative.getMessage());
        InvalidInputException tooLarge = assertThrows(InvalidInputException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "conv2d", "filters", 4, "kernel", 5, "stride", 3),
                Map.of("type", "conv2d", "filters", 4, "kernel", 5),
                Map.of("type", "conv2d", "filters", 4, "kernel", 5)), train), mnist, 10, 1, ProviderContext.empty()));
        assertEquals("model cnn, layer 3 (conv2d): kernel 5x5 is larger than its 4x4 input", tooLarge.getMessage());
        ConfigException activation = assertThrows(ConfigException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "flatten"), Map.of("type", "dense", "units", 10, "activation", "swishy")), train),
                mnist, 10, 1, ProviderContext.empty()));
        assertTrue(activation.getMessage().startsWith("layers[1].activation: model cnn, layer 2 (dense): expected one of"
                + " linear, relu, leaky-relu"), activation.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "conv2d", "filters", "many", "kernel", 3)), train), mnist, 10, 1, ProviderContext.empty()));
        assertEquals("layers[0].filters: model cnn, layer 1 (conv2d): expected an integer, got \"many\"",
                type.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "convolution")), train), mnist, 10, 1, ProviderContext.empty()));
        assertTrue(unknown.getMessage().contains("model cnn, layer 1 (convolution): unknown layer type"));
        InvalidInputException classes = assertThrows(InvalidInputException.class, () -> family.initialModel(cnn(List.of(
                Map.of("type", "flatten"), Map.of("type", "dense", "units", 3)), train), mnist, 10, 1, ProviderContext.empty()));
        assertTrue(classes.getMessage().contains("outputs 3 values per sample, but the data has 10 classes"));
    }

    @Test
    void nanLossStopsWithEpochAndBatch() {
        Dataset data = MnistSubsets.train(300);
        float[] x = data.features().data().clone();
        x[200 * 784 + 5] = Float.NaN;
        Dataset poisoned = data.withFeatures(Tensor.of(data.features().shape(), x));
        LogRegConfig config = RecordBinder.bind(Map.of("epochs", 2, "batchSize", 100), LogRegConfig.class, "");
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Families.LogReg().trainer(config, ProviderContext.empty()).train(poisoned, RunContext.of(5).withThreads(1)));
        assertTrue(e.getMessage().matches("model logreg: training diverged at epoch 1, batch \\d of 3: the loss is NaN.*"),
                e.getMessage());
    }

    @Test
    void logisticRegressionAndMlpLearn() {
        Dataset train = MnistSubsets.train(2000);
        Dataset test = MnistSubsets.test(1000);
        List<TrainingEvent> events = new java.util.ArrayList<>();
        LogRegConfig lr = RecordBinder.bind(Map.of("epochs", 5, "optimizer", Map.of("type", "sgd", "learningRate", 0.5)),
                LogRegConfig.class, "");
        Model logreg = new Families.LogReg().trainer(lr, ProviderContext.empty()).train(train, Optional.of(test),
                RunContext.of(1).withListener(events::add));
        double logregAccuracy = Evaluation.of(logreg, test, 500).accuracy();
        assertTrue(logregAccuracy >= 0.80, "logreg accuracy " + logregAccuracy + " " + events.get(events.size() - 2));
        assertTrue(events.get(0) instanceof TrainingEvent.Started s && s.batchesPerEpoch() == 16 && s.epochs() == 5);
        assertEquals(5 * 16, events.stream().filter(e -> e instanceof TrainingEvent.BatchFinished).count());
        TrainingEvent.EpochFinished last = (TrainingEvent.EpochFinished) events.get(events.size() - 2);
        assertFalse(Double.isNaN(last.validationAccuracy()));
        assertTrue(events.get(events.size() - 1) instanceof TrainingEvent.Finished f && f.reason().equals("completed"));

        MlpConfig mlp = RecordBinder.bind(Map.of("hidden", List.of(64), "dropout", 0.2, "l2", 1e-4, "epochs", 10),
                MlpConfig.class, "");
        Model m = new Families.Mlp().trainer(mlp, ProviderContext.empty()).train(train, RunContext.of(1));
        double mlpAccuracy = Evaluation.of(m, test, 500).accuracy();
        assertTrue(mlpAccuracy >= 0.85, "mlp accuracy " + mlpAccuracy);
    }

    @Test
    void seedCnnTrainsToTheSameWeightsOnOneAndTwoThreads() {
        Dataset train = MnistSubsets.train(192);
        PresetConfig config = RecordBinder.bind(Map.of("epochs", 1, "batchSize", 64), PresetConfig.class, "");
        Model one = new Families.SeedCnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(21).withThreads(1));
        Model two = new Families.SeedCnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(21).withThreads(2));
        List<org.modelbench.api.Parameter> p1 = ((EngineModel) one).network().parameters();
        List<org.modelbench.api.Parameter> p2 = ((EngineModel) two).network().parameters();
        for (int i = 0; i < p1.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(p1.get(i).value().data(), p2.get(i).value().data());
        }
        Tensor x = MnistSubsets.test(16).features();
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.predictProbabilities(x).data(),
                two.predictProbabilities(x).data());
        // the algorithm revision the weights came from, for reproduce to name when a later engine differs
        assertEquals(String.valueOf(org.modelbench.engine.graph.AlgorithmRevision.CURRENT),
                one.provenance().details().get("engineRevision"));
        Model other = new Families.SeedCnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(22).withThreads(2));
        assertFalse(java.util.Arrays.equals(p1.get(0).value().data(),
                ((EngineModel) other).network().parameters().get(0).value().data()));
    }

    @Test
    void mlpTrainsToTheSameWeightsOnOneAndTwoThreadsOnTheNativePath() {
        org.modelbench.testkit.OptionalMaterial.require(org.modelbench.engine.kernels.Sgemm.nativeBlas(),
                "the native BLAS path (" + org.modelbench.engine.kernels.Sgemm.nativeStatus() + ")");
        Dataset train = MnistSubsets.train(512);
        // 64 x 256 x 784 products and their gradients: well above the native threshold
        MlpConfig config = RecordBinder.bind(Map.of("hidden", List.of(256, 128), "epochs", 2, "batchSize", 64),
                MlpConfig.class, "");
        Model one = new Families.Mlp().trainer(config, ProviderContext.empty()).train(train, RunContext.of(3).withThreads(1));
        Model two = new Families.Mlp().trainer(config, ProviderContext.empty()).train(train, RunContext.of(3).withThreads(2));
        List<org.modelbench.api.Parameter> p1 = ((EngineModel) one).network().parameters();
        List<org.modelbench.api.Parameter> p2 = ((EngineModel) two).network().parameters();
        for (int i = 0; i < p1.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(p1.get(i).value().data(), p2.get(i).value().data(),
                    p1.get(i).name());
        }
        assertEquals(org.modelbench.engine.kernels.Sgemm.provenance(), one.provenance().details().get("sgemm"));
        Tensor x = MnistSubsets.test(100).features();
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.predictProbabilities(x).data(),
                two.predictProbabilities(x).data());
    }

    @Test
    void cnnSpecsMayFormAGraph() {
        CnnConfig config = cnn(List.of(
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "padding", "same", "activation", "relu"),
                Map.of("type", "conv2d", "filters", 4, "kernel", 3, "padding", "same", "name", "branch"),
                Map.of("type", "add", "inputs", List.of("conv2d_1", "branch")),
                Map.of("type", "concat", "inputs", List.of("add_1", "input")),
                Map.of("type", "global-avgpool"),
                Map.of("type", "dense", "units", 10, "activation", "softmax")), Map.of("epochs", 1));
        Model model = new Families.Cnn().initialModel(config, Shape.of(1, 28, 28), 10, 1, ProviderContext.empty()).orElseThrow();
        assertEquals(List.of("conv2d_1", "branch", "add_1", "concat_1", "global-avgpool_1", "dense_1"),
                model.summary().rows().stream().map(ModelSummary.Row::name).toList());
        assertEquals(Shape.of(5, 28, 28), model.summary().rows().get(3).outputShape());
        assertEquals(40 + 148 + 60, model.parameterCount());
    }

    @Test
    void smallCnnLearnsOn2000Images() {
        Dataset train = MnistSubsets.train(2000);
        Dataset test = MnistSubsets.test(1000);
        CnnConfig config = cnn(List.of(
                Map.of("type", "conv2d", "filters", 8, "kernel", 3, "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2),
                Map.of("type", "conv2d", "filters", 16, "kernel", List.of(3, 3), "activation", "relu"),
                Map.of("type", "maxpool2d", "pool", 2),
                Map.of("type", "flatten"),
                Map.of("type", "dense", "units", 10, "activation", "softmax")),
                Map.of("epochs", 4, "batchSize", 32, "optimizer", Map.of("type", "adam", "learningRate", 0.003)));
        Model model = new Families.Cnn().trainer(config, ProviderContext.empty()).train(train, RunContext.of(3));
        double accuracy = Evaluation.of(model, test, 500).accuracy();
        assertTrue(accuracy >= 0.90, "accuracy " + accuracy);
    }
}
