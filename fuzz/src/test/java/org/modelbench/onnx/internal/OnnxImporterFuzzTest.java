package org.modelbench.onnx.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.modelbench.fuzz.FuzzFiles;

/** ONNX model files: the header check, the protobuf, every initializer and the native import. */
class OnnxImporterFuzzTest {
    private static final Path DIR = FuzzFiles.folder("onnx");

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void onnxModels(byte[] bytes) {
        Path file = FuzzFiles.write(DIR, "model.onnx", bytes);
        FuzzFiles.expectOnlyTypedErrors(() -> OnnxModelFile.checkFile(file));
        FuzzFiles.expectOnlyTypedErrors(() -> {
            OnnxModelFile model = OnnxModelFile.load(file);
            model.inputs();
            model.parameterCount();
            OnnxImporter.importModel(model);
        });
    }
}
