package org.modelbench.onnx.export;

import java.util.Map;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.internal.OnnxExporter;

/**
 * Engine networks as ONNX model bytes: the exporter behind {@code modelbench onnx export}, for
 * other modules (the benchmarks run the exported seed CNN with ONNX Runtime). No protobuf or ONNX
 * Runtime type appears here.
 */
public final class OnnxExport {
    private OnnxExport() {
    }

    /**
     * The ONNX model (opset 13, or what an imported base needs) of {@code network}, with its
     * weights as they are now: input {@code [N, ...network.inputShape()]}, one output.
     *
     * @throws org.modelbench.api.InvalidInputException for a layer type ONNX export does not cover
     */
    public static byte[] toOnnx(Network network) {
        return OnnxExporter.export(network, Map.of()).toByteArray();
    }
}
