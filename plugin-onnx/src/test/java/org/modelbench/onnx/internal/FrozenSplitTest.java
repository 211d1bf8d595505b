package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modelbench.api.spi.ProviderContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.OnnxTransferFamilyProvider;
import org.modelbench.onnx.config.FineTuneConfig;
import org.modelbench.onnx.config.TransferConfig;

/**
 * The frozen part of a transfer model runs on the base's engine at training and test time and after
 * reload; the trainable rest runs natively; predictions are split into passes sized from the memory
 * budget without changing them.
 */
class FrozenSplitTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void base() {
        TransferLearningTest.dir = dir;
        TransferLearningTest.exportBase();
    }

    static TransferConfig config(String engine, Map<String, Object> fineTune, Integer maxMemoryMb) {
        Map<String, Object> tree = new LinkedHashMap<>(RecordBinder.toTree(TransferLearningTest.config(
                fineTune)));
        Map<String, Object> base = new LinkedHashMap<>(RecordBinder.toTree(TransferLearningTest.config(null).base()));
        base.put("engine", engine);
        tree.put("base", base);
        if (maxMemoryMb != null) {
            tree.put("maxMemoryMb", maxMemoryMb);
        }
        tree.values().removeIf(java.util.Objects::isNull);
        return RecordBinder.bind(tree, TransferConfig.class, "params");
    }

    @Test
    void boundaryIsTheSingleValueFromTheFrozenPartToTheTrainableRest() {
        OnnxModelFile file = OnnxModelFile.load(TransferLearningTest.baseFile);
        NativeGraph graph = OnnxImporter.importModel(file);
        graph.freezeAll();
        String cut = file.resolveCut("flat");
        assertEquals(cut, FrozenSplit.boundary(graph, cut), "nothing trainable: frozen up to the cut");
        List<String> unfrozen = TransferLearning.unfreeze(graph, cut, new FineTuneConfig(1, null, 0.001f, 1, 0f));
        assertEquals(List.of("conv_b"), unfrozen);
        assertEquals(file.resolveCut("pool_a"), FrozenSplit.boundary(graph, cut));
        graph.parameters().values().forEach(p -> p.setTrainable(true));
        assertEquals(graph.inputs().get(0).name(), FrozenSplit.boundary(graph, cut), "all trainable: all native");
    }

    @Test
    void boundaryFallsBackToTheInputWhenAResidualCrossesIt() {
        var proto = KerasArchitectures.mobileNetV2(32, 4, 7);
        OnnxModelFile file = OnnxModelFile.of(Path.of("m.onnx"), proto);
        NativeGraph graph = OnnxImporter.importModel(file);
        graph.freezeAll();
        String cut = file.resolveCut("out_relu/Relu6");
        // block_16 starts after block_15's residual add: one value crosses
        TransferLearning.unfreeze(graph, cut, new FineTuneConfig(null, "block_16_", 0.001f, 1, 0f));
        assertEquals(file.resolveCut("block_15_add/add"), FrozenSplit.boundary(graph, cut));
        // block_15's project conv alone: block_14's add output and block_15's own values both cross
        graph.freezeAll();
        TransferLearning.unfreeze(graph, cut, new FineTuneConfig(null, "block_15_project", 0.001f, 1, 0f));
        String b = FrozenSplit.boundary(graph, cut);
        assertTrue(b.equals(graph.inputs().get(0).name()), b);
    }

    @Test
    void ortBaseAtTrainingTestAndReloadWithFineTuning() {
        Dataset train = TransferLearningTest.images(96, 11);
        Dataset test = TransferLearningTest.images(40, 12);
        var family = new OnnxTransferFamilyProvider();
        RunContext context = new RunContext(3, 2, List.of(), dir.resolve("work-ort"));
        Model ort = family.trainer(config("ort", Map.of("unfreezeLast", 1, "learningRate", 0.001, "epochs", 2), null), ProviderContext.discover())
                .train(train, Optional.of(test), context);
        Model nat = family.trainer(config("native", Map.of("unfreezeLast", 1, "learningRate", 0.001, "epochs", 2), null), ProviderContext.discover())
                .train(train, Optional.of(test), new RunContext(3, 2, List.of(), dir.resolve("work-native")));
        String prefix = ort.provenance().details().get(TransferLearning.FROZEN_PREFIX_OUTPUT);
        assertTrue(prefix.startsWith("base/") && prefix.contains("pool_a"), prefix);
        assertEquals("ort", ort.provenance().details().get("baseEngine"));
        assertTrue(ort.provenance().details().get("fineTuneFeatureCache").startsWith("miss"));
        // the fine-tuning features came from the head's pass of the base (one base run per data set)
        assertTrue(ort.provenance().details().getOrDefault("fineTuneFeatures", "").contains(prefix.substring(5)),
                ort.provenance().details().toString());
        // ONNX Runtime and the interpreter computed the same frozen features: the same model, to rounding
        Tensor po = ort.predictProbabilities(test.features());
        Tensor pn = nat.predictProbabilities(test.features());
        assertEquals(0, maxDiff(po, pn), 1e-4);
        Path saved = dir.resolve("saved-ort");
        ort.save(saved);
        Model loaded = family.load(saved, ProviderContext.discover());
        assertEquals(po, loaded.predictProbabilities(test.features()), "bit-identical after reload");
        assertEquals(prefix, loaded.provenance().details().get(TransferLearning.FROZEN_PREFIX_OUTPUT));
    }

    @Test
    void onePassOfTheBaseGivesTheFeaturesOfEveryValueAsSeparatePassesDo() {
        Dataset data = TransferLearningTest.images(30, 31);
        TransferConfig config = config("ort", null, null);
        OnnxModelFile model = BaseModelFiles.load(BaseModelFiles.resolve(config.base().file()));
        String cut = model.resolveCut(config.base().cutAt());
        NativeGraph graph = OnnxImporter.importModel(model);
        // an earlier value on the way to the cut
        List<NativeGraph.Node> plan = graph.plan(List.of(cut));
        String early = plan.get(plan.size() / 2).outputs().get(0);
        Shape chw = Preprocessing.outputShape(config.base().preprocessing(), data.sampleShape());
        for (String engine : List.of("ort", "native")) {
            var base = new org.modelbench.onnx.config.BaseConfig(config.base().file(), config.base().cutAt(), true,
                    config.base().preprocessing(), engine, null);
            FrozenFeatures features = new FrozenFeatures(model, graph, base, chw, new MemoryBudget(1L << 20),
                    dir.resolve("one-pass-" + engine), 2);
            List<FrozenFeatures.Result> both = features.of(data, List.of(cut, early));
            assertTrue(both.get(0).cacheNote().startsWith("miss") && both.get(1).cacheNote().startsWith("miss"));
            FrozenFeatures separate = new FrozenFeatures(model, graph, base, chw, new MemoryBudget(1L << 20), null, 2);
            assertEquals(separate.of(data, cut).features().features(), both.get(0).features().features(), engine);
            assertEquals(separate.of(data, early).features().features(), both.get(1).features().features(), engine);
            // both were cached: a second call reads them
            List<FrozenFeatures.Result> again = features.of(data, List.of(cut, early));
            assertTrue(again.get(0).hit() && again.get(1).hit());
            assertEquals(both.get(1).features().features(), again.get(1).features().features());
        }
    }

    @Test
    void passesSizedFromTheBudgetGiveTheSamePredictions() {
        Dataset train = TransferLearningTest.images(64, 21);
        Dataset test = TransferLearningTest.images(50, 22);
        var family = new OnnxTransferFamilyProvider();
        NativeGraphClassifier m = (NativeGraphClassifier) family.trainer(config("native", null, null), ProviderContext.discover())
                .train(train, Optional.empty(), new RunContext(5, 2, List.of(), dir.resolve("work-budget")));
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("x.onnx"), m.onnx()));
        long perSample = MemoryBudget.nativeBytesPerSample(graph, "input", Value.zeros(new int[] {1, 1, 12, 12}),
                List.of(graph.outputs().get(0)));
        assertTrue(perSample > 144 * 4, "at least the input: " + perSample);
        MemoryBudget tight = new MemoryBudget((long) (7 * 2 * perSample / MemoryBudget.PASS_SHARE) + 1);
        NativeGraphClassifier small = new NativeGraphClassifier(m.familyId(), m.sampleShape(), m.classNames(),
                TransferLearningTest.config(null).base().preprocessing(), false, m.onnx(), graph, graph.outputs().get(0),
                m.parameterCount(), m.summary(), m.provenance(), GraphClassifier.nativeRunner(graph,
                graph.outputs().get(0)), tight);
        assertEquals(7, small.samplesPerPass());
        assertEquals(m.predictProbabilities(test.features()), small.predictProbabilities(test.features()));
        assertEquals(m.lossGradient(test.features(), test.labels()), small.lossGradient(test.features(), test.labels()));
        String layer = m.layerNames().get(1);
        int[] classes = new int[test.size()];
        var whole = m.classScoreGradient(test.features(), layer, classes);
        var parts = small.classScoreGradient(test.features(), layer, classes);
        assertEquals(whole.activations(), parts.activations());
        assertEquals(whole.gradient(), parts.gradient());
        assertEquals(1, new MemoryBudget(1024).samplesPerPass(1 << 20, 64), "at least one sample");
        assertEquals(64, new MemoryBudget(1L << 40).samplesPerPass(1 << 20, 64), "at most the wanted number");
    }

    private static double maxDiff(Tensor a, Tensor b) {
        double m = 0;
        for (int i = 0; i < a.data().length; i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
