package org.modelbench.onnx.internal;

import java.nio.file.Path;
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
        String key = FeatureCache.sha256(modelHash.getBytes(), value.getBytes(),
                RecordBinder.toTree(base.preprocessing()).toString().getBytes(), base.engine().getBytes())
                + "-" + FeatureCache.dataHash(raw);
        boolean hit = FeatureCache.contains(cacheDirectory, key);
        int pass = budget.samplesPerPass(bytesPerSample(value), MAX_PASS);
        Tensor f;
        if (base.engine().equals("ort")) {
            try (OrtRunner ort = hit ? null : new OrtRunner(model.cutAt(value), threads)) {
                f = FeatureCache.get(cacheDirectory, key, raw.size(), pass, (from, to) -> {
                    Value y = ort.run(Map.of(ort.inputNames().get(0), feed(raw.features().slice(from, to))),
                            List.of(value)).get(value);
                    return Tensor.of(Shape.of(y.dims()), y.floatData());
                });
            }
        } else {
            String input = graph.inputs().get(0).name();
            f = FeatureCache.get(cacheDirectory, key, raw.size(), pass, (from, to) -> {
                Value y = graph.run(Map.of(input, feed(raw.features().slice(from, to))), List.of(value), threads)
                        .get(value);
                return Tensor.of(Shape.of(y.dims()), y.floatData());
            });
        }
        Dataset features = new Dataset(raw.name() + "/features", f, raw.labels(), raw.classNames(), raw.metadata());
        String note = cacheDirectory == null ? "off" : (hit ? "hit " : "miss ") + cacheDirectory;
        return new Result(features, hit, note, pass);
    }

    /** A raw batch preprocessed and laid out as the base's input wants it. */
    private Value feed(Tensor rawBatch) {
        Tensor x = Preprocessing.apply(base.preprocessing(), rawBatch);
        return base.preprocessing().nhwc() ? Preprocessing.toNhwc(x) : Value.floats(x.shape().dims(), x.data());
    }

    /** Measured once per value with a one-sample native pass. */
    private long bytesPerSample(String value) {
        return bytesPerSample.computeIfAbsent(value, v -> {
            Tensor zero = Tensor.zeros(chw.withBatch(1));
            Value fed = base.preprocessing().nhwc() ? Preprocessing.toNhwc(zero)
                    : Value.floats(zero.shape().dims(), zero.data());
            return MemoryBudget.nativeBytesPerSample(graph, graph.inputs().get(0).name(), fed, List.of(v));
        });
    }
}
