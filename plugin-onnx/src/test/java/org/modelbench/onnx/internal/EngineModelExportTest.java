package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;

/** {@code modelbench onnx export}: a saved engine model to ONNX, checked against ONNX Runtime. */
class EngineModelExportTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private Path savedSeedCnn() {
        ModelFamilyProvider<Record> family = (ModelFamilyProvider<Record>) ServiceLoader.load(ModelFamilyProvider.class)
                .stream().map(ServiceLoader.Provider::get).filter(p -> p.id().equals("seed-cnn")).findFirst().orElseThrow();
        Record config = RecordBinder.bind(Map.of("epochs", 1, "batchSize", 8), family.configType(), "params");
        Dataset data = TransferLearningTest.images(16, 4);
        Model m = family.trainer(config, ProviderContext.discover()).train(data, new RunContext(1, 1, List.of(), dir));
        Path saved = dir.resolve("seed-cnn");
        m.save(saved);
        return saved;
    }

    @Test
    @SuppressWarnings("unchecked")
    void savedCnn1dExportsAndOnnxRuntimeAgrees() throws Exception {
        ModelFamilyProvider<Record> family = (ModelFamilyProvider<Record>) ServiceLoader.load(ModelFamilyProvider.class)
                .stream().map(ServiceLoader.Provider::get).filter(p -> p.id().equals("cnn1d")).findFirst().orElseThrow();
        Record config = RecordBinder.bind(Map.of("filters", List.of(4, 6), "kernel", 3, "epochs", 1, "batchSize", 8),
                family.configType(), "params");
        Dataset images = TransferLearningTest.images(16, 4);
        // each image read row by row: [H, W] sequences of W steps
        org.modelbench.api.Shape s = images.sampleShape();
        Dataset sequences = images.withFeatures(images.features().reshape(
                org.modelbench.api.Shape.of(s.dim(1), s.dim(2)).withBatch(images.size())));
        Model m = family.trainer(config, ProviderContext.discover()).train(sequences, new RunContext(1, 1, List.of(), dir));
        Path saved = dir.resolve("cnn1d");
        m.save(saved);
        Path onnx = dir.resolve("cnn1d.onnx");
        StringWriter text = new StringWriter();
        assertEquals(0, ModelErrorsTest.cli(text, "export", saved.toString(), "--output", onnx.toString()), text.toString());
        assertTrue(text.toString().contains("(ok)"), text.toString());
        OnnxModelFile model = OnnxModelFile.load(onnx);
        assertEquals(List.of("Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm",
                "Softmax", "Identity"), model.graph().getNodeList().stream().map(n -> n.getOpType()).toList());
        assertEquals(3, model.graph().getInput(0).getType().getTensorType().getShape().getDimCount(), "[N, C, L]");
        // imported back as the onnx family (ONNX Runtime) on the same sequences: the engine's probabilities
        Model imported = OrtClassifiers.create(new org.modelbench.onnx.config.OnnxConfig(onnx.toString(), null, null),
                sequences.sampleShape(), m.classNames(), 1, 1, "test");
        org.modelbench.api.Tensor batch = sequences.features().slice(0, 8);
        float[] engine = m.predictProbabilities(batch).data();
        float[] ort = imported.predictProbabilities(batch).data();
        for (int i = 0; i < engine.length; i++) {
            assertEquals(engine[i], ort[i], 1e-5, "probability " + i);
        }
    }

    @Test
    void savedEngineModelExportsAndOnnxRuntimeAgrees() throws Exception {
        Path saved = savedSeedCnn();
        Path onnx = dir.resolve("seed-cnn.onnx");
        StringWriter text = new StringWriter();
        assertEquals(0, ModelErrorsTest.cli(text, "export", saved.toString(), "--output", onnx.toString()), text.toString());
        assertTrue(text.toString().contains("(ok)"), text.toString());
        OnnxModelFile model = OnnxModelFile.load(onnx);
        assertEquals(List.of("Conv", "Relu", "Conv", "Relu", "MaxPool", "Identity", "Flatten", "Gemm", "Relu", "Identity",
                "Gemm", "Softmax", "Identity"), model.graph().getNodeList().stream().map(n -> n.getOpType()).toList());
        // Corrupted weights are refused, naming the file.
        Path weights = saved.resolve("weights.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        StringWriter broken = new StringWriter();
        assertEquals(2, ModelErrorsTest.cli(broken, "export", saved.toString(), "--output", dir.resolve("x.onnx").toString()));
        assertTrue(broken.toString().contains("weights.safetensors"), broken.toString());
        assertThrows(InvalidInputException.class, () -> EngineModelExport.load(dir.resolve("nowhere"), ProviderCatalogue.discover()));
    }
}
