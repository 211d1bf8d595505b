package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.onnx.OnnxTransferFamilyProvider;
import org.modelbench.onnx.config.TransferConfig;

/**
 * Frozen-base features cached row by row in the run's shared cache: computed once for every trial
 * and seed that feeds the same rows to the same frozen base (at training and at test time), the
 * same bits as without the cache, and an unreadable file is named in one line and recomputed. The
 * base is a small CNN the engine trains and exports (as in {@link TransferLearningTest}), run for
 * real on ONNX Runtime and on the interpreter.
 */
class RowFeatureCacheTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void base() {
        TransferLearningTest.dir = dir;
        TransferLearningTest.exportBase();
    }

    private static final Map<String, Object> FINE_TUNE = Map.of("unfreezeLast", 1, "learningRate", 0.001, "epochs", 2);

    private static Model train(TransferConfig config, Dataset rows, long seed, Path shared) {
        RunContext context = new RunContext(seed, 2, List.of(), dir.resolve("work-" + seed + "-" + System.nanoTime()),
                null, shared);
        return new OnnxTransferFamilyProvider().trainer(config, ProviderContext.discover())
                .train(rows, Optional.empty(), context);
    }

    private static long computed(Model m) {
        return Long.parseLong(m.provenance().details().get("featureRowsComputed"));
    }

    @Test
    void trialsAndSeedsOfARunShareTheFrozenFeaturesOfTheRowsTheyHaveInCommon() {
        Path shared = dir.resolve("shared-trials");
        Dataset pool = TransferLearningTest.images(120, 41);
        Dataset test = TransferLearningTest.images(50, 42);
        TransferConfig frozen = FrozenSplitTest.config("ort", null, null);
        Model a = train(frozen, pool.slice(0, 80), 1, shared);
        assertEquals(80, computed(a), "the first trial runs the base on all of its rows");
        // another seed on an overlapping subset: the base runs only on the 40 rows new to the run
        Model b = train(frozen, pool.slice(40, 120), 2, shared);
        assertEquals(40, computed(b), b.provenance().details().get("featureCache"));
        assertTrue(b.provenance().details().get("featureCache").startsWith("partly cached"));
        Model c = train(frozen, pool.slice(0, 120), 3, shared);
        assertEquals(0, computed(c), "every row is in the cache");
        assertTrue(c.provenance().details().get("featureCache").startsWith("hit"));
        // the same model as without any cache, bit for bit
        Model uncached = train(FrozenSplitTest.config("ort", null, null), pool.slice(0, 120), 3, null);
        assertEquals(120, computed(uncached));
        assertEquals(((GraphClassifier) uncached).onnx(), ((GraphClassifier) c).onnx());
        assertEquals(uncached.predictProbabilities(test.features()), c.predictProbabilities(test.features()));
        // fine-tuning starts from the cut's features of the frozen trials and computes only the prefix's
        Model fine = train(FrozenSplitTest.config("ort", FINE_TUNE, null), pool.slice(0, 120), 3, shared);
        assertEquals(0, computed(fine), "the cut's features come from the frozen trials");
        assertTrue(fine.provenance().details().get("fineTuneFeatureCache").contains("120 computed"),
                fine.provenance().details().get("fineTuneFeatureCache"));
        Model fineAgain = train(FrozenSplitTest.config("ort", FINE_TUNE, null), pool.slice(0, 120), 3, shared);
        assertTrue(fineAgain.provenance().details().get("fineTuneFeatureCache").startsWith("hit"));
        Model fineUncached = train(FrozenSplitTest.config("ort", FINE_TUNE, null), pool.slice(0, 120), 3, null);
        assertEquals(((GraphClassifier) fineUncached).onnx(), ((GraphClassifier) fine).onnx());
        assertEquals(((GraphClassifier) fineUncached).onnx(), ((GraphClassifier) fineAgain).onnx());
        assertEquals(fineUncached.predictProbabilities(test.features()), fineAgain.predictProbabilities(test.features()));
    }

    @Test
    void atTestTimeTheFrozenPartRunsOnceForEverySeedAndReloadPredictsTheSameBits() {
        Path shared = dir.resolve("shared-test");
        Dataset train = TransferLearningTest.images(64, 51);
        Dataset test = TransferLearningTest.images(70, 52);
        for (String engine : List.of("ort", "native")) {
            TransferConfig config = FrozenSplitTest.config(engine, null, null);
            Model first = train(config, train, 1, shared);
            Model second = train(config, train, 2, shared);
            GraphClassifier g1 = (GraphClassifier) first;
            GraphClassifier g2 = (GraphClassifier) second;
            OnnxModelFile file1 = OnnxModelFile.of(Path.of("a.onnx"), g1.onnx());
            OnnxModelFile file2 = OnnxModelFile.of(Path.of("b.onnx"), g2.onnx());
            String prefix = first.provenance().details().get(TransferLearning.FROZEN_PREFIX_OUTPUT);
            assertEquals(FrozenFeatures.computationKey(file1, engine, prefix), FrozenFeatures.computationKey(file2,
                    engine, prefix), "the frozen part of both seeds' models is the same computation");
            // features computed by other kernels (OpenBLAS per-sample convolutions vs the Java kernel) are another computation
            assertNotEquals(FrozenFeatures.computationKey(file1, engine, "java", prefix), FrozenFeatures.computationKey(
                    file1, engine, "conv per sample on openblas 0.3.21 Cooperlake", prefix), "kernels in the key");
            // features of another ONNX Runtime version are another computation; the key names this JVM's
            assertNotEquals(FrozenFeatures.computationKey(file1, engine, "onnxruntime 1.29.0", prefix),
                    FrozenFeatures.computationKey(file1, engine, "onnxruntime 1.20.0", prefix), "ORT version in the key");
            assertEquals(FrozenFeatures.computationKey(file1, engine, engine.equals("ort")
                    ? "onnxruntime " + OrtRunner.version() : Blas.inferenceKernels(), prefix),
                    FrozenFeatures.computationKey(file1, engine, prefix), engine + "'s kernels in the key");
            // the runners of both models, sharing one cache folder: the frozen part runs for the first only
            RowFeatureCache cache1 = new RowFeatureCache(shared.resolve("runners-" + engine),
                    v -> FrozenFeatures.computationKey(file1, engine, v), line -> { });
            RowFeatureCache cache2 = new RowFeatureCache(shared.resolve("runners-" + engine),
                    v -> FrozenFeatures.computationKey(file2, engine, v), line -> { });
            NativeGraph graph1 = OnnxImporter.importModel(file1);
            NativeGraph graph2 = OnnxImporter.importModel(file2);
            Function<Value, Value> run1 = FrozenSplit.runner(file1, graph1, prefix, graph1.outputs().get(0), engine, cache1);
            Function<Value, Value> run2 = FrozenSplit.runner(file2, graph2, prefix, graph2.outputs().get(0), engine, cache2);
            Value fed = Value.floats(test.features().shape().dims(), Preprocessing.apply(config.base().preprocessing(),
                    test.features()).data());
            Value y1 = run1.apply(fed);
            assertEquals(70, cache1.rowsComputed(prefix));
            Value y2 = run2.apply(fed);
            assertEquals(0, cache2.rowsComputed(prefix), engine + ": the second seed's frozen part did not run");
            assertEquals(70, cache2.rowsRead(prefix));
            assertArrayEquals(FrozenSplit.runner(file2, graph2, prefix, graph2.outputs().get(0), engine).apply(fed)
                    .floatData(), y2.floatData(), engine + ": the same bits as running the frozen part");
            assertTrue(y1.floatData().length == y2.floatData().length);
            // the trained model predicts through the shared cache; after save and reload it runs the base
            // itself and predicts the same bits
            // the first seed's model computes the test rows through its base; the second's reads them, and says so
            // (a trial then reports no inference rate: its test pass timed cache reads)
            first.predictProbabilities(test.features());
            assertEquals(0, first.rowsFromCache(), engine + ": the first seed computed its test rows");
            Tensor p = second.predictProbabilities(test.features());
            assertEquals(70, second.rowsFromCache(), engine + ": the second seed read its test rows");
            Path saved = dir.resolve("saved-" + engine);
            second.save(saved);
            Model loaded = new OnnxTransferFamilyProvider().load(saved, ProviderContext.discover());
            assertEquals(p, loaded.predictProbabilities(test.features()));
            assertEquals(0, loaded.rowsFromCache(), engine + ": a loaded model has no cache");
            assertEquals(p, second.predictProbabilities(test.features()), "again, from the cache");
        }
    }

    @Test
    void eachRowGetsTheSameBitsWhateverRowsShareItsBatch() {
        Dataset data = TransferLearningTest.images(23, 61);
        OnnxModelFile model = OnnxModelFile.load(TransferLearningTest.baseFile);
        NativeGraph graph = OnnxImporter.importModel(model);
        String cut = model.resolveCut("flat");
        Value fed = Value.floats(data.features().shape().dims(), Preprocessing.apply(
                FrozenSplitTest.config("ort", null, null).base().preprocessing(), data.features()).data());
        try (OrtRunner ort = new OrtRunner(model.cutAt(cut), 2)) {
            float[] whole = ort.run(Map.of(ort.inputNames().get(0), fed), List.of(cut)).get(cut).floatData();
            float[] native2 = graph.run(Map.of(graph.inputs().get(0).name(), fed), List.of(cut), 2).get(cut).floatData();
            List<Float> ones = new ArrayList<>();
            List<Float> nativeOnes = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                Value row = Value.floats(new int[] {1, 1, 12, 12},
                        java.util.Arrays.copyOfRange(fed.floatData(), i * 144, (i + 1) * 144));
                for (float v : ort.run(Map.of(ort.inputNames().get(0), row), List.of(cut)).get(cut).floatData()) {
                    ones.add(v);
                }
                for (float v : graph.run(Map.of(graph.inputs().get(0).name(), row), List.of(cut), 1).get(cut).floatData()) {
                    nativeOnes.add(v);
                }
            }
            assertArrayEquals(whole, toArray(ones), "ONNX Runtime: one row at a time vs 23 at once");
            assertArrayEquals(native2, toArray(nativeOnes), "interpreter: one row at a time (1 thread) vs 23 (2 threads)");
        }
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    @Test
    void aTruncatedOrCorruptedFileIsNamedInOneLineAndRecomputed() throws Exception {
        Path shared = dir.resolve("shared-broken");
        Dataset rows = TransferLearningTest.images(40, 71);
        TransferConfig config = FrozenSplitTest.config("native", null, null);
        Model first = train(config, rows, 1, shared);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(shared)) {
            files = walk.filter(p -> p.toString().endsWith(".row")).sorted().toList();
        }
        assertEquals(40, files.size(), "one file per row");
        byte[] bytes = Files.readAllBytes(files.get(0));
        Files.write(files.get(0), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        byte[] other = Files.readAllBytes(files.get(1));
        other[other.length - 1] ^= 0x01;
        Files.write(files.get(1), other);
        byte[] huge = Files.readAllBytes(files.get(2));
        huge[12] = (byte) 0xff;
        huge[13] = (byte) 0xff;
        huge[14] = (byte) 0xff;
        huge[15] = (byte) 0x7f;
        Files.write(files.get(2), huge);
        List<String> lines = new ArrayList<>();
        RunContext context = new RunContext(1, 2, List.of(event -> {
            if (event instanceof org.modelbench.api.TrainingEvent.Message m && m.text().contains("feature cache")) {
                lines.add(m.text());
            }
        }), dir.resolve("work-broken"), null, shared);
        Model again = new OnnxTransferFamilyProvider().trainer(config, ProviderContext.discover())
                .train(rows, Optional.empty(), context);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains(files.get(0).getFileName().toString()) || lines.stream().anyMatch(
                l -> l.contains(files.get(0).toString())), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("truncated")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("CRC32C")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("\n")));
        assertEquals(3, computed(again), "only the three broken rows ran through the base");
        assertEquals(((GraphClassifier) first).onnx(), ((GraphClassifier) again).onnx());
        assertArrayEquals(bytes, Files.readAllBytes(files.get(0)), "rewritten whole");
        try (Stream<Path> walk = Files.walk(shared)) {
            assertTrue(walk.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }
}
