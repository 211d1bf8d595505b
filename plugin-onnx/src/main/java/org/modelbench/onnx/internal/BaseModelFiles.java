package org.modelbench.onnx.internal;

import java.nio.file.Path;
import org.modelbench.onnx.internal.keras.KerasToOnnx;
import org.modelbench.onnx.internal.keras.TfjsModel;

/**
 * Reads a model file given to a family ({@code file:}): an {@code .onnx} file, or a Keras model in
 * the TensorFlow.js layers format ({@code model.json} and its shards), converted to ONNX on reading
 * (see {@link KerasToOnnx}); both then import, cut, freeze and export the same way.
 */
public final class BaseModelFiles {
    private BaseModelFiles() {
    }

    /** The model in {@code file}, as ONNX. */
    public static OnnxModelFile load(Path file) {
        if (TfjsModel.isTfjs(file)) {
            return OnnxModelFile.of(file, KerasToOnnx.convert(TfjsModel.read(file)));
        }
        return OnnxModelFile.load(file);
    }
}
