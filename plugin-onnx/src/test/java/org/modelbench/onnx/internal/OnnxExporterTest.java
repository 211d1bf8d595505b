package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;

/** Engine networks exported to ONNX run in ONNX Runtime (and the native import) with the same outputs. */
class OnnxExporterTest {

    static Tensor randomBatch(Shape sample, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * sample.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(sample.withBatch(n), x);
    }

    /** An engine layer spec {@code {type, key: value ...}}. */
    static Map<String, Object> spec(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void assertExportMatches(Network net) {
        Map<String, Record> configs = new LinkedHashMap<>();
        net.nodes().forEach(n -> configs.put(n.name(), n.config()));
        ModelProto proto = OnnxExporter.export(net, configs);
        Tensor x = randomBatch(net.inputShape(), 3, 5);
        Tensor engine = net.forward(x, new LayerContext(false, 0, 1));
        Value expected = Value.floats(engine.shape().dims(), engine.data());
        OnnxModelFile model = OnnxModelFile.of(Path.of(net.name() + ".onnx"), proto);
        Map<String, Value> feeds = Map.of("input", Value.floats(x.shape().dims(), x.data()));
        Value ort;
        try (OrtRunner runner = new OrtRunner(model, 1)) {
            ort = runner.run(feeds, List.of()).values().iterator().next();
        }
        NativeGraph graph = OnnxImporter.importModel(model);
        Value mine = graph.run(feeds, List.of(), 1).values().iterator().next();
        assertArrayEquals(expected.dims(), ort.dims());
        double ortError = Parity.relativeError(ort, expected);
        double nativeError = Parity.relativeError(mine, expected);
        assertTrue(ortError <= Parity.TOLERANCE, net.name() + ": ONNX Runtime vs engine " + ortError);
        assertTrue(nativeError <= Parity.TOLERANCE, net.name() + ": native import vs engine " + nativeError);
    }

    @Test
    void seedCnnExportMatchesTheEngine() {
        assertExportMatches(TransferLearning.seedCnn(Shape.of(1, 28, 28), 10, 11));
    }

    @Test
    void convolutionVariantsExportMatchTheEngine() {
        Network.Builder b = Network.builder("variants", Shape.of(4, 15, 15), 3);
        b.add(spec("conv2d", "filters", 8, "kernel", 3, "stride", 2, "padding", "same", "activation", "leaky-relu"), "l0");
        b.add(spec("batchnorm"), "l1");
        b.add(spec("conv2d", "filters", 8, "kernel", 3, "groups", 8, "padding", List.of(1, 2, 0, 1), "dilation", 2,
                "activation", "tanh"), "l2");
        b.add(spec("avgpool2d", "pool", 3, "stride", 2, "padding", "same"), "l3");
        b.add(spec("maxpool2d", "pool", 2, "stride", 1), "l4");
        b.add(spec("global-avgpool"), "l5");
        b.add(spec("dense", "units", 6, "activation", "sigmoid"), "l6");
        b.add(spec("dropout", "rate", 0.5), "l7");
        b.add(spec("dense", "units", 5, "activation", "softmax"), "l8");
        assertExportMatches(b.build());
    }

    @Test
    void sequenceLayersExportMatchTheEngine() {
        Network.Builder b = Network.builder("sequences", Shape.of(4, 41), 5);
        b.add(spec("conv1d", "filters", 8, "kernel", 5, "stride", 2, "padding", "same", "activation", "leaky-relu"), "l0");
        b.add(spec("batchnorm"), "l1");
        b.add(spec("conv1d", "filters", 8, "kernel", 3, "groups", 4, "dilation", 2, "padding", List.of(1, 2),
                "activation", "tanh"), "l2");
        b.add(spec("avgpool1d", "pool", 3, "stride", 2, "padding", "same"), "l3");
        b.add(spec("conv1d", "filters", 6, "kernel", 2, "useBias", false, "activation", "relu"), "l4");
        b.add(spec("maxpool1d", "pool", 2, "stride", 1, "padding", 1), "l5");
        b.add(spec("global-avgpool"), "l6");
        b.add(spec("dense", "units", 3, "activation", "softmax"), "l7");
        assertExportMatches(b.build());
    }

    @Test
    void cnn1dFlattenedExportMatchesTheEngine() {
        Network.Builder b = Network.builder("cnn1d-flat", Shape.of(2, 30), 6);
        b.add(spec("conv1d", "filters", 4, "kernel", 7, "activation", "relu"), "l0");
        b.add(spec("maxpool1d", "pool", 3), "l1");
        b.add(spec("flatten"), "l2");
        b.add(spec("dense", "units", 4, "activation", "softmax"), "l3");
        assertExportMatches(b.build());
    }
}
