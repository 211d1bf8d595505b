package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.OnnxTransferFamilyProvider;
import org.modelbench.onnx.config.TransferConfig;

/** The onnx-transfer family end to end on a small exported base and synthetic images. */
class TransferLearningTest {
    @TempDir
    static Path dir;
    static Path baseFile;

    /** Images whose class says whether the left half is brighter than the right. */
    static Dataset images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 144];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int p = 0; p < 144; p++) {
                boolean left = p % 12 < 6;
                x[i * 144 + p] = (float) (r.nextDouble(0, 160) + (left == (labels[i] == 1) ? 90 : 0));
            }
        }
        return new Dataset("halves", Tensor.of(Shape.of(n, 1, 12, 12), x), labels, List.of("right", "left"), Map.of());
    }

    @BeforeAll
    static void exportBase() {
        Network.Builder b = Network.builder("base", Shape.of(1, 12, 12), 5);
        b.add(TransferLearning.spec("conv_a", "conv2d", "filters", 6, "kernel", 3, "activation", "relu"), "l0");
        b.add(TransferLearning.spec("bn_a", "batchnorm"), "l1");
        b.add(TransferLearning.spec("pool_a", "maxpool2d", "pool", 2), "l2");
        b.add(TransferLearning.spec("conv_b", "conv2d", "filters", 8, "kernel", 3, "activation", "relu"), "l3");
        b.add(TransferLearning.spec("flat", "flatten"), "l4");
        b.add(TransferLearning.spec("old_top", "dense", "units", 3, "activation", "softmax"), "l5");
        Network net = b.build();
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        baseFile = dir.resolve("base.onnx");
        AtomicFiles.write(baseFile, OnnxExporter.export(net, configs).toByteArray());
    }

    static TransferConfig config(Map<String, Object> fineTune) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("base", Map.of("file", baseFile.toString(), "cutAt", "flat",
                "preprocessing", Map.of("scale", 1.0 / 255)));
        tree.put("head", List.of(Map.of("type", "dense", "units", 2, "activation", "softmax")));
        tree.put("epochs", 15);
        tree.put("batchSize", 16);
        tree.put("optimizer", Map.of("type", "adam", "learningRate", 0.01));
        if (fineTune != null) {
            tree.put("fineTune", fineTune);
        }
        return RecordBinder.bind(tree, TransferConfig.class, "params");
    }

    static float[] initializer(Model m, String suffix) {
        for (TensorProto t : ((GraphClassifier) m).onnx().getGraph().getInitializerList()) {
            if (t.getName().endsWith(suffix)) {
                return TensorProtos.toValue(t, null, "test").floatData();
            }
        }
        throw new AssertionError("no initializer ending in " + suffix);
    }

    private static float[] baseInitializer(String name) {
        for (TensorProto t : OnnxModelFile.load(baseFile).graph().getInitializerList()) {
            if (t.getName().equals(name)) {
                return TensorProtos.toValue(t, null, "test").floatData();
            }
        }
        throw new AssertionError(name);
    }

    private static double accuracy(Model m, Dataset d) {
        int[] p = m.predict(d.features());
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            hits += p[i] == d.labels()[i] ? 1 : 0;
        }
        return (double) hits / p.length;
    }

    @Test
    void frozenBaseHeadTrainsOnCachedFeaturesAndReloadsBitIdentically() {
        Dataset train = images(160, 1);
        Dataset test = images(80, 2);
        RunContext context = new RunContext(9, 2, List.of(), dir.resolve("work-frozen"));
        var family = new OnnxTransferFamilyProvider();
        Model first = family.trainer(config(null), ProviderContext.discover()).train(train, Optional.of(test), context);
        assertTrue(first.provenance().details().get("featureCache").startsWith("miss"));
        double acc = accuracy(first, test);
        assertTrue(acc >= 0.8, "test accuracy of the new head " + acc);
        // The base did not change.
        assertArrayEquals(baseInitializer("conv_a/kernel"), initializer(first, "conv_a/kernel"));
        assertArrayEquals(baseInitializer("conv_b/kernel"), initializer(first, "conv_b/kernel"));
        assertEquals("none", first.provenance().details().get("trainableBaseLayers"));
        assertEquals(org.modelbench.engine.graph.AlgorithmRevision.provenance(),
                first.provenance().details().get(org.modelbench.engine.graph.AlgorithmRevision.DETAIL));
        // Same seed: features come from the cache and the model is bit-identical.
        Model second = family.trainer(config(null), ProviderContext.discover()).train(train, Optional.of(test), context);
        assertTrue(second.provenance().details().get("featureCache").startsWith("hit"));
        assertEquals(first.predictProbabilities(test.features()), second.predictProbabilities(test.features()));
        Path saved = dir.resolve("saved-frozen");
        first.save(saved);
        Model loaded = family.load(saved, ProviderContext.discover());
        assertEquals(first.predictProbabilities(test.features()), loaded.predictProbabilities(test.features()));
        // on the native interpreter, models can be explained and attacked
        assertTrue(first instanceof org.modelbench.api.InspectableModel);
        assertTrue(loaded instanceof org.modelbench.api.InspectableModel);
        assertEquals(((org.modelbench.api.DifferentiableModel) first).lossGradient(test.features(), test.labels()),
                ((org.modelbench.api.DifferentiableModel) loaded).lossGradient(test.features(), test.labels()));
        Map<String, String> modelDetails = new java.util.LinkedHashMap<>(first.provenance().details());
        modelDetails.keySet().removeAll(ModelDirectory.RUN_DEPENDENT_DETAILS);
        assertEquals(modelDetails, loaded.provenance().details(), "every detail but how the run went (timings, cache)");
        assertTrue(first.provenance().details().containsKey("featureSeconds"));
        assertEquals(first.provenance().config(), loaded.provenance().config());
        assertEquals(first.summary(), loaded.summary());
    }

    @Test
    void fineTuningUnfreezesOnlyTheLastLayerAndKeepsFrozenBatchNormStatistics() {
        Dataset train = images(96, 3);
        List<org.modelbench.api.TrainingEvent> events = new java.util.ArrayList<>();
        RunContext context = new RunContext(4, 2, List.of(events::add), dir.resolve("work-fine"));
        Model m = new OnnxTransferFamilyProvider().trainer(config(Map.of("unfreezeLast", 1, "learningRate", 0.001,
                "epochs", 2, "l2", 0.001)), ProviderContext.discover()).train(train, Optional.empty(), context);
        // Head training (15 epochs) and fine-tuning (2) look like one training of 17 epochs.
        assertEquals(List.of(17), events.stream().filter(e -> e instanceof org.modelbench.api.TrainingEvent.Started)
                .map(e -> ((org.modelbench.api.TrainingEvent.Started) e).epochs()).toList());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 17).boxed().toList(), events.stream()
                .filter(e -> e instanceof org.modelbench.api.TrainingEvent.EpochFinished)
                .map(e -> ((org.modelbench.api.TrainingEvent.EpochFinished) e).epoch()).toList());
        assertEquals(List.of(17), events.stream().filter(e -> e instanceof org.modelbench.api.TrainingEvent.Finished)
                .map(e -> ((org.modelbench.api.TrainingEvent.Finished) e).epochsRun()).toList());
        assertEquals("conv_b", m.provenance().details().get("trainableBaseLayers"));
        // The summary marks what trained last: the unfrozen conv and the head, not the frozen base.
        var rows = m.summary().rows();
        assertEquals(List.of("base/conv_a", "base/bn_a", "base/conv_b", "dense_1"), rows.stream()
                .map(org.modelbench.api.ModelSummary.Row::name).toList());
        assertEquals(List.of(false, false, true, true), rows.stream().map(org.modelbench.api.ModelSummary.Row::trainable)
                .toList());
        assertEquals(Shape.of(8, 3, 3), rows.get(2).outputShape());
        assertTrue(m.provenance().details().get("trainableDuringFineTune").contains("conv_b"));
        assertArrayEquals(baseInitializer("conv_a/kernel"), initializer(m, "conv_a/kernel"));
        assertArrayEquals(baseInitializer("bn_a/gamma"), initializer(m, "bn_a/gamma"));
        assertArrayEquals(baseInitializer("bn_a/moving_mean"), initializer(m, "bn_a/moving_mean"));
        assertArrayEquals(baseInitializer("bn_a/moving_variance"), initializer(m, "bn_a/moving_variance"));
        assertFalse(java.util.Arrays.equals(baseInitializer("conv_b/kernel"), initializer(m, "conv_b/kernel")),
                "the unfrozen layer must change");
    }

    @Test
    void shapeMismatchBetweenManifestAndModelNamesTheFile() {
        Dataset wrong = new Dataset("big", Tensor.zeros(Shape.of(4, 1, 14, 14)), new int[4], List.of("a", "b"), Map.of());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.modelbench.api.InvalidInputException.class,
                () -> new OnnxTransferFamilyProvider().trainer(config(null), ProviderContext.discover()).train(wrong,
                        new RunContext(1, 1, List.of(), dir)));
        assertTrue(e.getMessage().contains("base.onnx") && e.getMessage().contains("[1, 14, 14]"), e.getMessage());
        assertTrue(Files.exists(baseFile));
    }

    /** Sequences {@code [2, 24]} whose class says whether the first half of channel 0 is higher than the second. */
    static Dataset sequences(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 48];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int p = 0; p < 48; p++) {
                boolean firstHalf = p % 24 < 12;
                boolean signal = p < 24 && firstHalf == (labels[i] == 1);
                x[i * 48 + p] = (float) (r.nextDouble(-1, 1) + (signal ? 1.0 : 0));
            }
        }
        return new Dataset("halves-1d", Tensor.of(Shape.of(n, 2, 24), x), labels, List.of("second", "first"), Map.of());
    }

    @Test
    void aSequenceBaseOfConv1dTransfersAndFineTunes() {
        Network.Builder b = Network.builder("base1d", Shape.of(2, 24), 6);
        b.add(TransferLearning.spec("conv_a", "conv1d", "filters", 6, "kernel", 3, "padding", "same",
                "activation", "relu"), "l0");
        b.add(TransferLearning.spec("pool_a", "maxpool1d", "pool", 2), "l1");
        b.add(TransferLearning.spec("conv_b", "conv1d", "filters", 8, "kernel", 3, "activation", "relu"), "l2");
        b.add(TransferLearning.spec("flat", "flatten"), "l3");
        b.add(TransferLearning.spec("old_top", "dense", "units", 3, "activation", "softmax"), "l4");
        Network net = b.build();
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        Path file = dir.resolve("base1d.onnx");
        AtomicFiles.write(file, OnnxExporter.export(net, configs).toByteArray());
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("base", Map.of("file", file.toString(), "cutAt", "flat"));
        tree.put("head", List.of(Map.of("type", "dense", "units", 2, "activation", "softmax")));
        tree.put("epochs", 15);
        tree.put("batchSize", 16);
        tree.put("optimizer", Map.of("type", "adam", "learningRate", 0.01));
        tree.put("fineTune", Map.of("unfreezeLast", 1, "learningRate", 0.001, "epochs", 2));
        TransferConfig config = RecordBinder.bind(tree, TransferConfig.class, "params");
        Dataset train = sequences(160, 1);
        Dataset test = sequences(80, 2);
        Model m = new OnnxTransferFamilyProvider().trainer(config, ProviderContext.discover()).train(train, Optional.of(test),
                new RunContext(3, 2, List.of(), dir.resolve("work-1d")));
        double acc = accuracy(m, test);
        assertTrue(acc >= 0.8, "test accuracy of the new head on a conv1d base " + acc);
        assertEquals("conv_b", m.provenance().details().get("trainableBaseLayers"));
        float[] before = null;
        for (TensorProto t : OnnxModelFile.load(file).graph().getInitializerList()) {
            if (t.getName().equals("conv_b/kernel")) {
                before = TensorProtos.toValue(t, null, "test").floatData();
            }
        }
        assertFalse(java.util.Arrays.equals(before, initializer(m, "conv_b/kernel")), "fine-tuning changes conv_b");
        Path saved = dir.resolve("saved-1d");
        m.save(saved);
        assertEquals(m.predictProbabilities(test.features()),
                new OnnxTransferFamilyProvider().load(saved, ProviderContext.discover()).predictProbabilities(test.features()));
    }
}
