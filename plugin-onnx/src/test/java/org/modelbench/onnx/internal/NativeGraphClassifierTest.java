package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;
import org.modelbench.engine.graph.NetworkGradients;
import org.modelbench.onnx.config.PreprocessingConfig;

/**
 * Gradients and activations of ONNX classifiers on the native interpreter: against finite
 * differences, and against the engine network the ONNX model was exported from (through
 * {@link NetworkGradients}, which the engine's models use).
 */
class NativeGraphClassifierTest {
    private static final List<String> CLASSES = List.of("a", "b", "c", "d");

    private static ModelProto export(Network net) {
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        return OnnxExporter.export(net, configs);
    }

    private static NativeGraphClassifier classifier(ModelProto proto, Shape sample, PreprocessingConfig preprocessing) {
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("test.onnx"), proto));
        return new NativeGraphClassifier("onnx-transfer", sample, CLASSES, preprocessing, false, proto, graph,
                graph.outputs().get(0), graph.parameterCount(), null, null);
    }

    /** A small CNN with smooth activations (tanh, average pooling) and raw logits. */
    private static Network smoothCnn(int channels) {
        Network.Builder b = Network.builder("smooth", Shape.of(channels, 8, 8), 21);
        b.add(OnnxExporterTest.spec("conv2d", "filters", 6, "kernel", 3, "activation", "tanh"), "l0");
        b.add(OnnxExporterTest.spec("avgpool2d", "pool", 2, "stride", 2), "l1");
        b.add(OnnxExporterTest.spec("flatten"), "l2");
        b.add(OnnxExporterTest.spec("dense", "units", CLASSES.size()), "l3");
        return b.build();
    }

    private static double relativeError(Tensor actual, Tensor expected) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < actual.data().length; i++) {
            diff = Math.max(diff, Math.abs(actual.data()[i] - expected.data()[i]));
            norm = Math.max(norm, Math.abs(expected.data()[i]));
        }
        return diff / norm;
    }

    private static double loss(Model model, Tensor x, int label) {
        return -Math.log(model.predictProbabilities(x).data()[label]);
    }

    /** Checks the loss gradient at the three pixels where it is largest against central differences. */
    private static void assertFiniteDifferences(Model model, Tensor x, int label, float h) {
        Tensor g = ((NativeGraphClassifier) model).lossGradient(x, new int[] {label});
        assertEquals(x.shape(), g.shape());
        Integer[] order = new Integer[g.data().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(Math.abs(g.data()[b]), Math.abs(g.data()[a])));
        double worst = 0;
        for (int r = 0; r < 3; r++) {
            int pixel = order[r];
            float original = x.data()[pixel];
            x.data()[pixel] = original + h;
            double plus = loss(model, x, label);
            x.data()[pixel] = original - h;
            double minus = loss(model, x, label);
            x.data()[pixel] = original;
            double numeric = (plus - minus) / (2 * h);
            double error = Math.abs(numeric - g.data()[pixel]) / Math.abs(numeric);
            System.out.printf("finite differences (%s): pixel %d analytic %.6e numeric %.6e relative error %.2e%n",
                    model.familyId(), pixel, g.data()[pixel], numeric, error);
            worst = Math.max(worst, error);
        }
        assertTrue(worst < 1e-2, "relative error " + worst);
    }

    @Test
    void lossGradientMatchesFiniteDifferencesThroughPreprocessing() {
        // grey 0..255 images, copied to three channels, scaled and normalised per channel
        PreprocessingConfig pre = new PreprocessingConfig(null, true, 1f / 255, List.of(0.1f, 0.2f, 0.3f),
                List.of(0.5f, 0.6f, 0.7f), null);
        Shape sample = Shape.of(1, 8, 8);
        NativeGraphClassifier model = classifier(export(smoothCnn(3)), sample, pre);
        Tensor x = OnnxExporterTest.randomBatch(sample, 1, 3);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = 127.5f + 127.5f * x.data()[i];
        }
        assertFiniteDifferences(model, x, 2, 2f);
        // a Keras-style NHWC model ending in a Softmax, fed grey images copied to three channels
        PreprocessingConfig nhwc = new PreprocessingConfig(null, true, 1f / 255, List.of(0.5f, 0.4f, 0.3f), null, "nhwc");
        ModelProto keras = KerasArchitectures.resnetBlocks(16, CLASSES.size(), 4);
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("keras.onnx"), keras));
        NativeGraphClassifier nhwcModel = new NativeGraphClassifier("onnx-nhwc", Shape.of(1, 16, 16), CLASSES, nhwc, true,
                keras, graph, graph.outputs().get(0), graph.parameterCount(), null, null);
        assertTrue(nhwcModel.endsInSoftmax());
        Tensor grey = OnnxExporterTest.randomBatch(Shape.of(1, 16, 16), 1, 9);
        for (int i = 0; i < grey.data().length; i++) {
            grey.data()[i] = 127.5f + 127.5f * grey.data()[i];
        }
        assertFiniteDifferences(nhwcModel, grey, 1, 0.5f);
        // through a bilinear resize (5x5 grey images up to the model's 8x8)
        NativeGraphClassifier resized = classifier(export(smoothCnn(1)), Shape.of(1, 5, 5),
                new PreprocessingConfig(List.of(8, 8), null, 1f / 255, null, null, null));
        Tensor small = OnnxExporterTest.randomBatch(Shape.of(1, 5, 5), 1, 5);
        for (int i = 0; i < small.data().length; i++) {
            small.data()[i] = 127.5f + 127.5f * small.data()[i];
        }
        assertFiniteDifferences(resized, small, 1, 1f);
    }

    private static void assertMatchesEngine(Network net, String[] nodeLayers) {
        NativeGraphClassifier onnx = classifier(export(net), net.inputShape(), PreprocessingConfig.none());
        Tensor x = OnnxExporterTest.randomBatch(net.inputShape(), 3, 8);
        int[] labels = {0, 3, 1};
        double lossError = relativeError(onnx.lossGradient(x, labels), NetworkGradients.lossGradient(net, x, labels, 1));
        System.out.printf("%s: lossGradient relative error vs engine %.2e%n", net.name(), lossError);
        assertTrue(lossError < 1e-4, net.name() + " lossGradient " + lossError);
        List<String> layers = onnx.layerNames();
        System.out.println(net.name() + ": layers " + layers.stream().map(l -> l + " " + onnx.layerType(l)).toList());
        for (String node : nodeLayers) {
            // the engine fuses activations; its node's output is the last ONNX value of the node
            String value = layers.stream().filter(l -> l.startsWith(node + ":") || l.startsWith(node + "/"))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no ONNX value for engine node " + node + " in " + layers));
            InspectableModel.LayerGradient mine = onnx.classScoreGradient(x, value, labels);
            InspectableModel.LayerGradient theirs = NetworkGradients.classScoreGradient(net, x, node, labels, 1);
            double activationError = relativeError(mine.activations(), theirs.activations());
            double gradientError = relativeError(mine.gradient(), theirs.gradient());
            System.out.printf("%s: layer %s (%s, %s): activations %.2e, class-score gradient %.2e relative error%n",
                    net.name(), value, onnx.layerType(value), onnx.layerShape(value), activationError, gradientError);
            assertTrue(activationError < 1e-4, value + " activations " + activationError);
            assertTrue(gradientError < 1e-4, value + " gradient " + gradientError);
        }
    }

    @Test
    void exportedSeedCnnGradientsMatchTheEngine() {
        Network net = TransferLearning.seedCnn(Shape.of(1, 10, 10), CLASSES.size(), 5);
        assertMatchesEngine(net, new String[] {"conv2d_2", "max_pooling2d_1", "dense_1"});
        assertMatchesEngine(smoothCnn(2), new String[] {"conv2d_1", "dense_1"});
    }

    @Test
    void layersAreNamedShapedAndTyped() {
        Network net = TransferLearning.seedCnn(Shape.of(1, 10, 10), CLASSES.size(), 5);
        NativeGraphClassifier onnx = classifier(export(net), net.inputShape(), PreprocessingConfig.none());
        List<String> layers = onnx.layerNames();
        assertFalse(layers.isEmpty());
        assertEquals(onnx.output(), layers.get(layers.size() - 1));
        Tensor x = OnnxExporterTest.randomBatch(net.inputShape(), 2, 4);
        for (String layer : layers) {
            assertEquals(onnx.layerShape(layer).withBatch(2), onnx.activations(x, layer).shape(), layer);
        }
        // Grad-CAM's default layer is the last layer whose type names a convolution
        String lastConv = layers.stream().filter(l -> onnx.layerType(l).contains("conv")).reduce((a, b) -> b).orElseThrow();
        assertEquals("conv2d_2/relu:0", lastConv);
        assertEquals("conv2d+relu", onnx.layerType(lastConv));
        assertEquals("conv2d", onnx.layerType("conv2d_2:0"));
        assertEquals(Shape.of(64, 6, 6), onnx.layerShape(lastConv));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> onnx.activations(x, "nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains(lastConv), e.getMessage());
        assertThrows(InvalidInputException.class, () -> onnx.lossGradient(x, new int[] {0}));
        assertThrows(InvalidInputException.class, () -> onnx.lossGradient(x, new int[] {0, 4}));
    }

    @Test
    void graphLayerInsideAnEngineNetworkGivesInferenceGradients() {
        Network net = smoothCnn(1);
        ModelProto proto = export(net);
        NativeGraphClassifier onnx = classifier(proto, net.inputShape(), PreprocessingConfig.none());
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("layer.onnx"), proto));
        Network.Builder b = Network.builder("wrapped", net.inputShape(), 1);
        b.add("base", new OnnxGraphLayer(graph, graph.outputs().get(0), false, net.inputShape()), Network.INPUT);
        Network wrapped = b.build();
        Tensor x = OnnxExporterTest.randomBatch(net.inputShape(), 2, 6);
        int[] labels = {1, 2};
        double error = relativeError(NetworkGradients.lossGradient(wrapped, x, labels, 1), onnx.lossGradient(x, labels));
        assertTrue(error < 1e-5, "OnnxGraphLayer in an engine network vs the classifier: " + error);
    }
}
