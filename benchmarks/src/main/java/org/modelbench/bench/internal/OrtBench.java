package org.modelbench.bench.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.internal.OnnxExporter;

/** ONNX Runtime (CPU) inference on the engine network exported to ONNX, with the same inputs. */
final class OrtBench {

    /** Samples per second, and the largest difference between ORT's and the engine's outputs. */
    record Result(double samplesPerSecond, double maxAbsDifference, String version) {
    }

    private OrtBench() {
    }

    static Result run(Network network, Tensor batch, Tensor engineOutput, int threads, double seconds) {
        byte[] model = OnnxExporter.export(network, Map.of()).toByteArray();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = batch.batchSize();
        long[] dims = {n, batch.shape().dim(1), batch.shape().dim(2), batch.shape().dim(3)};
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.data()), dims)) {
                double diff = 0;
                try (OrtSession.Result r = session.run(Map.of("input", input))) {
                    float[][] out = (float[][]) r.get(0).getValue();
                    int k = out[0].length;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < k; j++) {
                            diff = Math.max(diff, Math.abs(out[i][j] - engineOutput.data()[i * k + j]));
                        }
                    }
                }
                double rate = Timing.rate(seconds, 3, () -> {
                    try (OrtSession.Result r = session.run(Map.of("input", input))) {
                        return n;
                    } catch (OrtException e) {
                        throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
                    }
                });
                return new Result(rate, diff, env.getVersion());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }
}
