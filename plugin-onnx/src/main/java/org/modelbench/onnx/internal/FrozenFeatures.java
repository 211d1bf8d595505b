package org.modelbench.onnx.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.config.BaseConfig;

/**
 * Features of a base's frozen part at a value (the cut, or where fine-tuning begins), computed on the
 * base's engine ({@code ort}: ONNX Runtime on the model cut at that value; {@code native}: the
 * interpreter) batch by batch, each batch preprocessed on its own, in passes sized from the memory
 * budget, and cached on disk (see {@link FeatureCache}) by model, value, preprocessing, engine and data.
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
    private final String modelHash;
    private final Map<String, Long> bytesPerSample = new HashMap<>();

    /**
     * @param graph          {@code model} imported; only run, never changed
     * @param chw            the preprocessed sample shape
     * @param cacheDirectory where features are cached, or null for no caching
     */
    FrozenFeatures(OnnxModelFile model, NativeGraph graph, BaseConfig base, Shape chw, MemoryBudget budget,
                   Path cacheDirectory, int threads) {
        this.model = model;
        this.graph = graph;
        this.base = base;
        this.chw = chw;
        this.budget = budget;
        this.cacheDirectory = cacheDirectory;
        this.threads = threads;
        this.modelHash = FeatureCache.sha256(model.proto().toByteArray());
    }

    /**
     * Features at {@code value} for every row of {@code raw}.
     *
     * @param features       the features with the rows' labels
     * @param hit            whether they came from the cache
     * @param cacheNote      {@code off}, {@code hit FOLDER} or {@code miss FOLDER}
     * @param samplesPerPass the rows per pass of the base
     */
    record Result(Dataset features, boolean hit, String cacheNote, int samplesPerPass) {
    }

    Result of(Dataset raw, String value) {
        return of(raw, List.of(value)).get(0);
    }

    /**
     * Features at each of {@code values} for every row of {@code raw}, in that order: those not in
     * the cache come from one pass of the base over the rows (ONNX Runtime on the model cut at all of
     * them at once, or one native run per batch), so the base runs once however many values are wanted.
     */
    List<Result> of(Dataset raw, List<String> values) {
        List<String> keys = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String v : values) {
            String key = FeatureCache.sha256(modelHash.getBytes(), v.getBytes(),
                    RecordBinder.toTree(base.preprocessing()).toString().getBytes(), base.engine().getBytes())
                    + "-" + FeatureCache.dataHash(raw);
            keys.add(key);
            if (!FeatureCache.contains(cacheDirectory, key)) {
                missing.add(v);
            }
        }
        int pass = budget.samplesPerPass(bytesPerSample(missing.isEmpty() ? values : missing), MAX_PASS);
        List<Result> out = new ArrayList<>();
        try (Pass base = new Pass(raw, missing.isEmpty() ? List.of(values.get(0)) : missing)) {
            for (int i = 0; i < values.size(); i++) {
                String v = values.get(i);
                // a value found in the cache only runs the base if its file turns out unreadable
                Tensor f = FeatureCache.get(cacheDirectory, keys.get(i), raw.size(), pass,
                        missing.contains(v) ? (from, to) -> base.features(v, from, to)
                                : (from, to) -> base.alone(v, from, to));
                Dataset features = new Dataset(raw.name() + "/features", f, raw.labels(), raw.classNames(),
                        raw.metadata());
                boolean hit = !missing.contains(v);
                String note = cacheDirectory == null ? "off" : (hit ? "hit " : "miss ") + cacheDirectory;
                out.add(new Result(features, hit, note, pass));
            }
        }
        return out;
    }

    /**
     * One pass of the base over the rows of {@code raw} computing {@code values}: the first value's
     * batches are handed out as they are computed; the others' are kept until asked for (they are the
     * smaller features before a fine-tuned block, in practice).
     */
    private final class Pass implements AutoCloseable {
        private final Dataset raw;
        private final List<String> values;
        private final Map<String, float[]> kept = new HashMap<>();
        private final Map<String, Shape> shapes = new HashMap<>();
        private OrtRunner ort;
        private final Map<String, OrtRunner> alone = new HashMap<>();

        Pass(Dataset raw, List<String> values) {
            this.raw = raw;
            this.values = values;
        }

        Tensor features(String value, int from, int to) {
            if (!value.equals(values.get(0))) {
                float[] k = kept.get(value);
                if (k == null) {
                    return alone(value, from, to); // the first value was cached after all
                }
                int size = shapes.get(value).size();
                return Tensor.of(shapes.get(value).withBatch(to - from),
                        java.util.Arrays.copyOfRange(k, from * size, to * size));
            }
            Map<String, Value> y = run(values, from, to);
            for (String v : values.subList(1, values.size())) {
                Value part = y.get(v);
                Shape sample = Shape.of(java.util.Arrays.copyOfRange(part.dims(), 1, part.dims().length));
                shapes.putIfAbsent(v, sample);
                float[] k = kept.computeIfAbsent(v, x -> new float[Math.toIntExact((long) raw.size() * sample.size())]);
                System.arraycopy(part.floatData(), 0, k, from * sample.size(), part.floatData().length);
            }
            Value first = y.get(value);
            return Tensor.of(Shape.of(first.dims()), first.floatData());
        }

        Tensor alone(String value, int from, int to) {
            Value y = run(List.of(value), from, to).get(value);
            return Tensor.of(Shape.of(y.dims()), y.floatData());
        }

        private Map<String, Value> run(List<String> wanted, int from, int to) {
            Value fed = feed(raw.features().slice(from, to));
            if (!base.engine().equals("ort")) {
                return graph.run(Map.of(graph.inputs().get(0).name(), fed), wanted, threads);
            }
            OrtRunner r;
            if (wanted.equals(values)) {
                if (ort == null) {
                    ort = new OrtRunner(model.cutAt(values), threads);
                }
                r = ort;
            } else {
                r = alone.computeIfAbsent(wanted.get(0), v -> new OrtRunner(model.cutAt(v), threads));
            }
            return r.run(Map.of(r.inputNames().get(0), fed), wanted);
        }

        @Override
        public void close() {
            if (ort != null) {
                ort.close();
            }
            alone.values().forEach(OrtRunner::close);
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
