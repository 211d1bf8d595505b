package org.modelbench.onnx;

import java.io.PrintWriter;
import java.util.List;
import org.modelbench.api.spi.CommandProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.internal.keras.KerasCli;

/**
 * {@code modelbench keras inspect|convert}: Keras models (TensorFlow.js layers format, .keras, .h5),
 * inspected (layers, parameters, unsupported layers) and converted to ONNX without Python.
 */
public final class KerasCommandProvider implements CommandProvider {

    @Override
    public String id() {
        return "keras";
    }

    @Override
    public String description() {
        return "Keras tools: inspect and convert Keras models (model.json + shards, .keras, .h5)";
    }

    @Override
    public int execute(List<String> args, PrintWriter out, PrintWriter err, ProviderContext context) {
        return KerasCli.execute(args, out, err);
    }
}
