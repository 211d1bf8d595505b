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
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.ModelFamilyProvider;

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
