/**
 * Benchmarks for modelbench: the {@code modelbench bench} command, which measures the native
 * engine's training and inference speed on the seed CNN against references measured in the same
 * run (the engine's SGEMM peak, ONNX Runtime on the exported model, PyTorch when installed).
 * JMH kernel benchmarks live in this module's test sources.
 */
module org.modelbench.bench {
    requires org.modelbench.api;
    requires org.modelbench.data;
    requires org.modelbench.engine;
    requires org.modelbench.onnx;
    requires com.microsoft.onnxruntime;
    requires com.fasterxml.jackson.databind;
    requires java.management;

    // bench forest finds tribuo-random-forest by its family id.
    uses org.modelbench.api.spi.ModelFamilyProvider;

    provides org.modelbench.api.spi.CommandProvider with org.modelbench.bench.BenchCommandProvider;
}
