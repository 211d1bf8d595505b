package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.OnnxRuntimeFamilyProvider;
import org.modelbench.onnx.config.OnnxConfig;

/** The onnx family: a frozen NHWC Keras-layout model run by ONNX Runtime with manifest preprocessing. */
class OrtFamilyTest {
    @TempDir
    Path dir;

    @Test
    void greyImagesAreResizedReplicatedAndFedNhwc() throws Exception {
        Path file = dir.resolve("resnet.onnx");
        Files.write(file, KerasArchitectures.resnetBlocks(32, 10, 4).toByteArray());
        OnnxConfig config = RecordBinder.bind(Map.of("file", file.toString(), "preprocessing",
                Map.of("resize", List.of(32, 32), "greyToRgb", true, "scale", 1.0 / 255, "mean", List.of(0.5, 0.4, 0.3),
                        "layout", "nhwc")), OnnxConfig.class, "params");
        Tensor images = OnnxExporterTest.randomBatch(Shape.of(1, 28, 28), 3, 8);
        for (int k = 0; k < images.data().length; k++) {
            images.data()[k] = Math.abs(images.data()[k]) * 255;
        }
        Dataset data = new Dataset("grey", images, new int[] {0, 1, 2}, List.of("0", "1", "2", "3", "4", "5", "6", "7",
                "8", "9"), Map.of());
        var family = new OnnxRuntimeFamilyProvider();
        Model m = family.trainer(config, ProviderContext.discover()).train(data, new RunContext(1, 1, List.of(), dir));
        Tensor p = m.predictProbabilities(images);
        // The same computation by hand through the native import.
        Tensor x = Preprocessing.apply(config.preprocessing(), images);
        assertEquals(Shape.of(3, 3, 32, 32), x.shape());
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.load(file));
        Value expected = g.run(Map.of("input_1", Preprocessing.toNhwc(x)), List.of(), 1).values().iterator().next();
        assertTrue(Parity.relativeError(Value.floats(p.shape().dims(), p.data()), expected) <= Parity.TOLERANCE);
        Path saved = dir.resolve("saved");
        m.save(saved);
        assertEquals(p, family.load(saved, ProviderContext.discover()).predictProbabilities(images));
        assertTrue(m.provenance().details().get("backend").startsWith("onnxruntime"));
        // ONNX Runtime gives no gradients, so the model does not claim them
        assertFalse(m instanceof org.modelbench.api.DifferentiableModel);
    }

    @Test
    void cutAtAFeatureNodeAndShapeMismatchAreReported() throws Exception {
        Path file = dir.resolve("vgg.onnx");
        Files.write(file, KerasArchitectures.resnetBlocks(32, 10, 4).toByteArray());
        Dataset data = new Dataset("grey", Tensor.zeros(Shape.of(2, 1, 28, 28)), new int[2], List.of("a", "b"), Map.of());
        OnnxConfig noResize = RecordBinder.bind(Map.of("file", file.toString(), "preprocessing",
                Map.of("greyToRgb", true, "layout", "nhwc")), OnnxConfig.class, "params");
        var e = assertThrows(InvalidInputException.class, () -> new OnnxRuntimeFamilyProvider().trainer(noResize, ProviderContext.discover())
                .train(data, new RunContext(1, 1, List.of(), dir)));
        assertTrue(e.getMessage().contains("vgg.onnx") && e.getMessage().contains("[28, 28, 3]"), e.getMessage());
        OnnxConfig features = RecordBinder.bind(Map.of("file", file.toString(), "cutAt", "avg_pool/Mean",
                "preprocessing", Map.of("resize", List.of(32, 32), "greyToRgb", true, "layout", "nhwc")),
                OnnxConfig.class, "params");
        var e2 = assertThrows(InvalidInputException.class, () -> new OnnxRuntimeFamilyProvider().trainer(features, ProviderContext.discover())
                .train(data, new RunContext(1, 1, List.of(), dir)));
        assertTrue(e2.getMessage().contains("avg_pool/Mean") && e2.getMessage().contains("one per class"), e2.getMessage());
    }

    @Test
    void benchPrintsBothEnginesAndTheirRatio() throws Exception {
        Path file = dir.resolve("resnet.onnx");
        Files.write(file, KerasArchitectures.resnetBlocks(32, 10, 4).toByteArray());
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        assertEquals(0, OnnxCli.execute(List.of("bench", file.toString(), "--batch", "2", "--seconds", "0.05"), out, out, ProviderCatalogue.discover()));
        out.flush();
        String s = text.toString();
        assertTrue(s.contains("onnxruntime") && s.contains("native import:") && s.contains("ratio native/ort"), s);
        double error = Double.parseDouble(s.substring(s.indexOf("difference ") + 11).trim());
        assertTrue(error <= Parity.TOLERANCE, s);
    }
}
