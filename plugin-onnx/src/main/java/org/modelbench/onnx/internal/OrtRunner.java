package org.modelbench.onnx.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;

/**
 * An ONNX Runtime (CPU) session over a model, with inputs and outputs as {@link Value}s. The
 * runtime's native library loads when the first runner is created (through a holder class), never
 * when the plugin's providers are constructed. Not thread-safe; close it after use.
 */
public final class OrtRunner implements AutoCloseable {

    private static final class Holder {
        static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();
    }

    private final OrtSession session;
    private final String where;

    /**
     * Opens a session.
     *
     * @param threads intra-op threads (results do not depend on it for the operators used here)
     */
    public OrtRunner(OnnxModelFile model, int threads) {
        this.where = model.path().toString();
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            // no arena and no memory pattern: the memory a large batch needed goes back after each run
            // instead of staying reserved by a session that may live as long as its model
            options.setCPUArenaAllocator(false);
            options.setMemoryPatternOptimization(false);
            this.session = externalData(model)
                    ? Holder.ENVIRONMENT.createSession(model.path().toString(), options)
                    : Holder.ENVIRONMENT.createSession(model.proto().toByteArray(), options);
        } catch (OrtException e) {
            throw new InvalidInputException(where + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /**
     * Whether initializers of {@code model} keep their data in files beside it, each checked to stay
     * inside the model's folder and to hold its bytes: then ONNX Runtime loads the model from its path
     * (it resolves external data against the model file; from bytes it cannot). A model changed in
     * memory ({@link OnnxModelFile#cutAt}) has its external data inlined.
     */
    private static boolean externalData(OnnxModelFile model) {
        boolean external = false;
        for (ai.onnx.proto.OnnxMl.TensorProto t : model.graph().getInitializerList()) {
            if (t.getDataLocation() == ai.onnx.proto.OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                TensorProtos.checkExternal(t, model.directory(), model.path().toString());
                external = true;
            }
        }
        return external;
    }

    /** The ONNX Runtime version. */
    public static String version() {
        return Holder.ENVIRONMENT.getVersion();
    }

    /** Input names in declaration order. */
    public List<String> inputNames() {
        return List.copyOf(session.getInputNames());
    }

    /** Output names in declaration order. */
    public List<String> outputNames() {
        return List.copyOf(session.getOutputNames());
    }

    /** Runs the model on {@code feeds}, returning {@code wanted} outputs (all when empty). */
    public Map<String, Value> run(Map<String, Value> feeds, Collection<String> wanted) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            Map<String, NodeInfo> info = session.getInputInfo();
            for (Map.Entry<String, Value> e : feeds.entrySet()) {
                NodeInfo ni = info.get(e.getKey());
                if (ni == null) {
                    continue;
                }
                tensors.put(e.getKey(), toOrt(e.getValue(), (TensorInfo) ni.getInfo()));
            }
            try (OrtSession.Result result = wanted == null || wanted.isEmpty() ? session.run(tensors)
                    : session.run(tensors, new java.util.LinkedHashSet<>(wanted))) {
                Map<String, Value> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new ModelbenchException(where + ": ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The native-order direct buffer that float inputs are copied into, reused across runs: ONNX
     * Runtime uses a direct buffer in place, while a heap buffer makes it allocate a new direct copy
     * per run, memory that only the collector gives back (measured: the JVM's "Other" native memory
     * grew by ~100 MB a minute at 224x224 passes).
     */
    private ByteBuffer floats;

    private FloatBuffer direct(float[] data) {
        long bytes = (long) data.length * Float.BYTES;
        if (floats == null || floats.capacity() < bytes) {
            floats = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
        floats.clear().limit((int) bytes);
        FloatBuffer f = floats.asFloatBuffer();
        f.put(data).flip();
        return f;
    }

    private OnnxTensor toOrt(Value v, TensorInfo info) throws OrtException {
        long[] shape = new long[v.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = v.dim(i);
        }
        OrtEnvironment env = Holder.ENVIRONMENT;
        OnnxJavaType type = info.type;
        switch (type) {
            case FLOAT:
                return OnnxTensor.createTensor(env, direct(v.asFloats()), shape);
            case DOUBLE: {
                float[] f = v.asFloats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return OnnxTensor.createTensor(env, DoubleBuffer.wrap(d), shape);
            }
            case INT64:
                return OnnxTensor.createTensor(env, LongBuffer.wrap(v.asLongs()), shape);
            case INT32: {
                long[] l = v.asLongs();
                int[] d = new int[l.length];
                for (int i = 0; i < l.length; i++) {
                    d[i] = (int) l[i];
                }
                return OnnxTensor.createTensor(env, IntBuffer.wrap(d), shape);
            }
            case BOOL, INT8, UINT8: {
                long[] l = v.asLongs();
                byte[] d = new byte[l.length];
                for (int i = 0; i < l.length; i++) {
                    d[i] = (byte) l[i];
                }
                return OnnxTensor.createTensor(env, ByteBuffer.wrap(d), shape, type);
            }
            default:
                throw new InvalidInputException("input type " + type + " is not supported by modelbench's ONNX Runtime bridge");
        }
    }

    private static Value fromOrt(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) shape[i];
        }
        int n = (int) Value.size(dims);
        switch (info.type) {
            case FLOAT: {
                float[] d = new float[n];
                t.getFloatBuffer().get(d);
                return Value.floats(dims, d);
            }
            case DOUBLE: {
                DoubleBuffer b = t.getDoubleBuffer();
                float[] d = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = (float) b.get(i);
                }
                return Value.floats(dims, d, Value.DOUBLE);
            }
            case INT64: {
                long[] d = new long[n];
                t.getLongBuffer().get(d);
                return Value.longs(dims, d);
            }
            case INT32: {
                IntBuffer b = t.getIntBuffer();
                long[] d = new long[n];
                for (int i = 0; i < n; i++) {
                    d[i] = b.get(i);
                }
                return Value.longs(dims, d, Value.INT32);
            }
            case BOOL, INT8, UINT8: {
                ByteBuffer b = t.getByteBuffer();
                long[] d = new long[n];
                for (int i = 0; i < n; i++) {
                    d[i] = info.type == OnnxJavaType.UINT8 ? b.get(i) & 0xFF : b.get(i);
                }
                return Value.longs(dims, d, info.onnxType.value);
            }
            default:
                throw new ModelbenchException("ONNX Runtime output type " + info.type + " is not supported");
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelbenchException(where + ": cannot close the ONNX Runtime session: " + e.getMessage(), e);
        }
    }
}
