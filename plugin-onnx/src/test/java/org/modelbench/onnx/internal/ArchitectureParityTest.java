package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native import against ONNX Runtime on generated Keras architectures (tf2onnx layout). */
class ArchitectureParityTest {

    private static double compare(ModelProto proto, int batch, int threads) {
        OnnxModelFile model = OnnxModelFile.of(Path.of(proto.getGraph().getName() + ".onnx"), proto);
        Map<String, Value> feeds = OnnxCli.randomFeeds(model, batch, 7);
        NativeGraph graph = OnnxImporter.importModel(model);
        String out = graph.outputs().get(0);
        Value mine = graph.run(feeds, List.of(out), threads).get(out);
        Value reference;
        try (OrtRunner ort = new OrtRunner(model, threads)) {
            reference = ort.run(feeds, List.of(out)).get(out);
        }
        assertArrayEquals(reference.dims(), mine.dims());
        return Parity.relativeError(mine, reference);
    }

    @Test
    void vgg16WithoutTopAt150MatchesOnnxRuntime() {
        ModelProto proto = KerasArchitectures.vgg16NoTop(150, 1);
        OnnxModelFile model = OnnxModelFile.of(Path.of("vgg16.onnx"), proto);
        assertEquals(14_714_688L, model.parameterCount());
        assertEquals(14_714_688L, OnnxImporter.importModel(model).parameterCount());
        double error = compare(proto, 1, 2);
        assertTrue(error <= Parity.TOLERANCE, "VGG16 relative error " + error);
    }

    @Test
    void mobileNetV2MatchesOnnxRuntime() {
        ModelProto proto = KerasArchitectures.mobileNetV2(96, 10, 2);
        NativeGraph graph = OnnxImporter.importModel(OnnxModelFile.of(Path.of("m.onnx"), proto));
        assertTrue(graph.nodes().stream().anyMatch(n -> n.opType().equals("Clip")));
        // The Pad's pads come from Constant/Concat/Cast nodes, which import folds away.
        assertTrue(graph.nodes().stream().noneMatch(n -> n.opType().equals("Cast") || n.opType().equals("Constant")));
        double error = compare(proto, 2, 2);
        assertTrue(error <= Parity.TOLERANCE, "MobileNetV2 relative error " + error);
    }

    @Test
    void resnetBlocksMatchOnnxRuntime() {
        double error = compare(KerasArchitectures.resnetBlocks(64, 10, 3), 2, 2);
        assertTrue(error <= Parity.TOLERANCE, "ResNet blocks relative error " + error);
    }
}
