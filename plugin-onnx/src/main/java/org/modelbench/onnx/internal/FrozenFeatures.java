package org.modelbench.onnx.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.config.BaseConfig;

/**
 * Features of a base's frozen part at a value (the cut, or where fine-tuning begins), computed on the
 * base's engine ({@code ort}: ONNX Runtime on the model cut at the values wanted; {@code native}: the
 * interpreter) batch by batch, each batch preprocessed on its own, in passes sized from the memory
 * budget, and cached on disk row by row ({@link RowFeatureCache}), keyed by the engine and what its bits
 * depend on (the ONNX Runtime version, or the interpreter's kernels), the model cut at the value (weights
 * included) and the fed row: every trial of a run that feeds the same rows to
 * the same base shares them, whatever its seed or its subset of the rows.
 */
final class FrozenFeatures {
    /** The most samples per pass, whatever the budget. */
    static final int MAX_PASS = 64;

    private final OnnxModelFile model;
    private final NativeGraph graph;
    private final BaseConfig base;
    private final Shape chw;
    private final MemoryBudget budget;
    private final Path cacheDirectory;
    private final int threads;
    private final Consumer<String> warnings;
    private final Map<String, Long> bytesPerSample = new HashMap<>();

    /**
     * @param graph          {@code model} imported; only run, never changed
     * @param chw            the preprocessed sample shape
     * @param cacheDirectory where features are cached, or null for no caching
     * @param warnings       receives one line per unreadable cache file (it is recomputed)
     */
    FrozenFeatures(OnnxModelFile model, NativeGraph graph, BaseConfig base, Shape chw, MemoryBudget budget,
                   Path cacheDirectory, int threads, Consumer<String> warnings) {
        this.model = model;
        this.graph = graph;
        this.base = base;
        this.chw = chw;
        this.budget = budget;
        this.cacheDirectory = cacheDirectory;
        this.threads = threads;
        this.warnings = warnings;
    }

    FrozenFeatures(OnnxModelFile model, NativeGraph graph, BaseConfig base, Shape chw, MemoryBudget budget,
                   Path cacheDirectory, int threads) {
        this(model, graph, base, chw, budget, cacheDirectory, threads, line -> { });
    }

    /**
     * Features at {@code value} for every row of {@code raw}.
     *
     * @param features       the features with the rows' labels
     * @param rowsComputed   rows that the base computed (the others came from the cache)
     * @param cacheNote      {@code off}, or {@code hit|miss|partly cached FOLDER (R rows read, C computed)}
     * @param samplesPerPass the rows per pass of the base
     */
    record Result(Dataset features, long rowsComputed, String cacheNote, int samplesPerPass) {
        /** Whether every row came from the cache. */
        boolean hit() {
            return rowsComputed == 0 && !cacheNote.equals("off");
        }
    }

    Result of(Dataset raw, String value) {
        return of(raw, List.of(value)).get(0);
    }

    /**
     * The key of the computation of {@code value}: SHA-256 of the engine, of the kernels it computes with
     * ({@link #engineKernels(String)}: the features' bits depend on them) and of the model cut at it (so of every
     * weight it reads), hex.
     */
    static String computationKey(OnnxModelFile model, String engine, String value) {
        return computationKey(model, engine, engineKernels(engine), value);
    }

    /**
     * What the bits of {@code engine}'s features depend on besides the model: for {@code ort} the ONNX Runtime
     * version ({@code "onnxruntime 1.29.0"}; another version may round otherwise), for {@code native} the
     * interpreter's {@link Blas#inferenceKernels()}.
     */
    static String engineKernels(String engine) {
        return engine.equals("ort") ? "onnxruntime " + OrtRunner.version() : Blas.inferenceKernels();
    }

    /** {@link #computationKey(OnnxModelFile, String, String)} with the engine's kernels named. */
    static String computationKey(OnnxModelFile model, String engine, String kernels, String value) {
        return Sha256Hex.sha256("onnx-transfer frozen features v2".getBytes(StandardCharsets.UTF_8),
                engine.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                kernels.getBytes(StandardCharsets.UTF_8), new byte[] {0}, model.cutAt(value).proto().toByteArray());
    }

    /**
     * Features at each of {@code values} for every row of {@code raw}, in that order: rows not in the
     * cache come from one pass of the base over them (ONNX Runtime on the model cut at all the missing
     * values at once, or one native run per batch), so the base runs once however many values are wanted.
     */
    List<Result> of(Dataset raw, List<String> values) {
        RowFeatureCache cache = new RowFeatureCache(cacheDirectory,
                v -> computationKey(model, base.engine(), v), warnings);
        int pass = budget.samplesPerPass(bytesPerSample(values), MAX_PASS);
        Map<String, float[]> all = new HashMap<>();
        Map<String, Shape> shapes = new HashMap<>();
        try (Engine engine = new Engine()) {
            for (int from = 0; from < raw.size(); from += pass) {
                int to = Math.min(raw.size(), from + pass);
                Map<String, Value> y = cache.run(feed(raw.features().slice(from, to)), values, engine::run);
                for (String v : values) {
                    Value part = y.get(v);
                    Shape sample = Shape.of(Arrays.copyOfRange(part.dims(), 1, part.dims().length));
                    shapes.putIfAbsent(v, sample);
                    float[] a = all.computeIfAbsent(v, x -> new float[checkedSize(raw.size(), sample)]);
                    System.arraycopy(part.floatData(), 0, a, from * sample.size(), part.floatData().length);
                }
            }
        }
        List<Result> out = new ArrayList<>();
        for (String v : values) {
            Tensor f = Tensor.of(shapes.get(v).withBatch(raw.size()), all.get(v));
            Dataset features = new Dataset(raw.name() + "/features", f, raw.labels(), raw.classNames(), raw.metadata());
            long computed = cache.rowsComputed(v);
            long read = cache.rowsRead(v);
            String note = !cache.enabled() ? "off"
                    : (computed == 0 ? "hit " : read == 0 ? "miss " : "partly cached ") + cacheDirectory
                    + " (" + read + " rows read, " + computed + " computed)";
            out.add(new Result(features, computed, note, pass));
        }
        return out;
    }

    private static int checkedSize(int rows, Shape sample) {
        long total = (long) rows * sample.size();
        if (total > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("frozen features of " + rows + " rows of " + sample + " ("
                    + total + " floats) do not fit in one array; use fewer rows or cut the base later");
        }
        return (int) total;
    }

    /** The base on its engine, with one ONNX Runtime session per set of values asked for. */
    private final class Engine implements AutoCloseable {
        private final Map<List<String>, OrtRunner> sessions = new HashMap<>();

        Map<String, Value> run(Value fed, List<String> wanted) {
            if (!base.engine().equals("ort")) {
                return graph.run(Map.of(graph.inputs().get(0).name(), fed), wanted, threads);
            }
            OrtRunner r = sessions.computeIfAbsent(List.copyOf(wanted), w -> new OrtRunner(model.cutAt(w), threads));
            return r.run(Map.of(r.inputNames().get(0), fed), wanted);
        }

        @Override
        public void close() {
            sessions.values().forEach(OrtRunner::close);
        }
    }

    /** A raw batch preprocessed and laid out as the base's input wants it. */
    private Value feed(Tensor rawBatch) {
        Tensor x = Preprocessing.apply(base.preprocessing(), rawBatch);
        return base.preprocessing().nhwc() ? Preprocessing.toNhwc(x) : Value.floats(x.shape().dims(), x.data());
    }

    /** Measured once per set of values with a one-sample native pass. */
    private long bytesPerSample(List<String> values) {
        return bytesPerSample.computeIfAbsent(String.join("\n", values), v -> {
            Tensor zero = Tensor.zeros(chw.withBatch(1));
            Value fed = base.preprocessing().nhwc() ? Preprocessing.toNhwc(zero)
                    : Value.floats(zero.shape().dims(), zero.data());
            return MemoryBudget.nativeBytesPerSample(graph, graph.inputs().get(0).name(), fed, values);
        });
    }
}
