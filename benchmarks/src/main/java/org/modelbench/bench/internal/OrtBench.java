package org.modelbench.bench.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.modelbench.api.Tensor;
import org.modelbench.engine.graph.Network;
import org.modelbench.onnx.export.OnnxExport;

/**
 * ONNX Runtime (CPU, all graph optimisations, {@code threads} intra-op threads) running the engine
 * network exported to ONNX by the ONNX plugin, on the same input batch.
 */
final class OrtBench implements AutoCloseable {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final OnnxTensor input;
    private final int n;

    OrtBench(Network network, Tensor batch, int threads) {
        byte[] model = OnnxExport.toOnnx(network);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        n = batch.batchSize();
        long[] dims = {n, batch.shape().dim(1), batch.shape().dim(2), batch.shape().dim(3)};
        try {
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, options);
            input = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.data()), dims);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** One run over the batch: the samples run. */
    long infer() {
        try (OrtSession.Result r = session.run(Map.of("input", input))) {
            return n;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /** The largest absolute difference between ORT's outputs and {@code engineOutput} ({@code [n, k]}). */
    double maxAbsDifference(Tensor engineOutput) {
        try (OrtSession.Result r = session.run(Map.of("input", input))) {
            float[][] out = (float[][]) r.get(0).getValue();
            double diff = 0;
            int k = out[0].length;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    diff = Math.max(diff, Math.abs(out[i][j] - engineOutput.data()[i * k + j]));
                }
            }
            return diff;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            input.close();
            session.close();
            options.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }
}
