/**
 * ONNX for modelbench: model families that run ONNX files with ONNX Runtime ({@code onnx}) or
 * import them into a trainable pure-Java graph for transfer learning ({@code onnx-transfer}), and
 * the {@code modelbench onnx} command (inspect, run, conformance, bench, export).
 *
 * <p>ONNX Runtime's native library loads on first use, never when the providers are constructed.
 */
module org.modelbench.onnx {
    requires org.modelbench.api;
    requires org.modelbench.engine;
    // optional: the interpreter's Vector API loops when the JVM resolves the module (else scalar, same bits)
    requires static jdk.incubator.vector;
    requires com.microsoft.onnxruntime;
    requires org.tribuo.util.onnx;
    requires com.google.protobuf;
    requires info.picocli;
    requires org.modelbench.data;
    requires com.fasterxml.jackson.databind;
    // jHDF (Keras .keras / .h5 weights) is an automatic module; the explicit modules it uses at run
    // time are required here so that they resolve on any module path
    requires io.jhdf;
    requires org.slf4j;
    requires org.apache.commons.lang3;

    // the stable export API (the benchmarks' ONNX Runtime reference); internal is exported to no one
    exports org.modelbench.onnx.export;
    opens org.modelbench.onnx.config to org.modelbench.api;
    opens org.modelbench.onnx.internal to info.picocli;
    opens org.modelbench.onnx.internal.keras to info.picocli;

    provides org.modelbench.api.spi.ModelFamilyProvider with
           org.modelbench.onnx.OnnxRuntimeFamilyProvider,
           org.modelbench.onnx.OnnxTransferFamilyProvider;
    provides org.modelbench.api.spi.CommandProvider with org.modelbench.onnx.OnnxCommandProvider,
            org.modelbench.onnx.KerasCommandProvider;
}
