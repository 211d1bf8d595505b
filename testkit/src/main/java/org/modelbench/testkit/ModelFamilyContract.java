package org.modelbench.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.ConfigException;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.DataShape;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.Trainer;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;

/**
 * The contract every {@link ModelFamilyProvider} keeps, as JUnit 5 tests. Extend it in a test
 * class of your plugin, return your provider from {@link #provider()}, and override what does not
 * suit your family (small {@link #params()}, {@link #invalidParams()} to check, other data):
 *
 * <pre>{@code
 * class KnnContractTest extends ModelFamilyContract<KnnConfig> {
 *     protected ModelFamilyProvider<KnnConfig> provider() { return new KnnProvider(); }
 *     protected List<InvalidParams> invalidParams() { return List.of(new InvalidParams(Map.of("k", 0), "k")); }
 * }
 * }</pre>
 *
 * <p>The tests: params bind (defaults filled) and survive their tree form; an unknown key and each
 * invalid value are a {@link ConfigException} naming its key path; {@code check} accepts the
 * training data; training is deterministic (a trainer reused, and for 1 and 2 threads);
 * probabilities have the right shape and rows sum to 1; save, load, save again gives identical
 * predictions and byte-identical files; a truncated, garbled or missing file of a saved model is a
 * {@link DataFormatException}. Keep the data and configuration small: the tests train four models.
 *
 * @param <C> the family's configuration record
 */
public abstract class ModelFamilyContract<C extends Record> {

    /**
     * Params that must be rejected, and the key the error must name.
     *
     * @param params the params, as a manifest gives them (merged over {@link #params()})
     * @param key    the key path within params, e.g. {@code trees} or {@code layers[0].units}
     */
    public record InvalidParams(Map<String, Object> params, String key) {
        public InvalidParams {
            params = Map.copyOf(params);
        }
    }

    @TempDir
    Path work;

    /** The provider under test. */
    protected abstract ModelFamilyProvider<C> provider();

    /** Params of a small, fast configuration, as a manifest gives them; default: none (every default). */
    protected Map<String, Object> params() {
        return Map.of();
    }

    /** Invalid params and the key each error must name; default none. */
    protected List<InvalidParams> invalidParams() {
        return List.of();
    }

    /** The training rows: 90 samples of 1x4x4 in 3 classes by default. */
    protected Dataset trainingData() {
        return ContractData.blobs(90, 3, Shape.of(1, 4, 4), 1);
    }

    /** Rows to predict; by default 30 more of the same kind. */
    protected Dataset testData() {
        Dataset train = trainingData();
        return ContractData.blobs(30, train.numClasses(), train.sampleShape(), 2);
    }

    /** What the provider gets as context; by default every provider on the test class path. */
    protected ProviderContext context() {
        return ProviderContext.discover();
    }

    /** Whether the family learns from the data (a frozen pretrained model does not). */
    protected boolean learns() {
        return true;
    }

    /**
     * Whether a model loaded from its files saves them again byte for byte; default true. Saving
     * one model twice must give the same bytes regardless (reproduce relies on it); override this
     * only when a backend's own serialiser cannot promise the round trip, and say why.
     */
    protected boolean resavesIdentically() {
        return true;
    }

    /** The configuration under test: {@link #params()} bound to the family's record. */
    protected final C config() {
        return RecordBinder.bind(params(), provider().configType(), "params");
    }

    private RunContext run(int threads) {
        return new RunContext(11, threads, List.of(), work);
    }

    private Tensor probabilities(Model model) {
        return model.predictProbabilities(testData().features());
    }

    @Test
    void paramsBindWithDefaultsAndSurviveTheirTreeForm() {
        C config = config();
        Map<String, Object> tree = RecordBinder.toTree(config);
        assertEquals(config, RecordBinder.bind(tree, provider().configType(), "params"),
                "binding the config's own tree (as provenance and resolved.json store it) gives it back");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingItsPath() {
        Map<String, Object> params = new LinkedHashMap<>(params());
        params.put("noSuchKey", 1);
        ConfigException e = assertThrowsConfig(() -> RecordBinder.bind(params, provider().configType(), "params"));
        assertTrue(e.getMessage().startsWith("params.noSuchKey"), e.getMessage());
    }

    @Test
    void invalidParamsAreErrorsNamingTheirKey() {
        for (InvalidParams invalid : invalidParams()) {
            Map<String, Object> params = new LinkedHashMap<>(params());
            params.putAll(invalid.params());
            ConfigException e = assertThrowsConfig(() -> {
                C config = RecordBinder.bind(params, provider().configType(), "params");
                provider().trainer(config, context());
                provider().check(config, shapeOf(trainingData()), context());
            });
            String key = e.key().startsWith("params.") ? e.key().substring("params.".length()) : e.key();
            assertEquals(invalid.key(), key, () -> invalid + " was reported as: " + e.getMessage());
        }
    }

    @Test
    void checkAcceptsTheTrainingData() {
        provider().check(config(), shapeOf(trainingData()), context());
        provider().initialModel(config(), trainingData().sampleShape(), trainingData().numClasses(), 1, context());
    }

    @Test
    void trainingIsDeterministicAndTheTrainerReusable() {
        Trainer trainer = provider().trainer(config(), context());
        Model first = trainer.train(trainingData(), Optional.empty(), run(1));
        Tensor expected = probabilities(first);
        assertEquals(Shape.of(testData().size(), trainingData().numClasses()), expected.shape(),
                "probabilities are [N, classes]");
        float[] p = expected.data();
        int classes = trainingData().numClasses();
        for (int r = 0; r < testData().size(); r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                assertTrue(p[r * classes + c] >= 0 && p[r * classes + c] <= 1, "a probability in [0, 1]");
                sum += p[r * classes + c];
            }
            assertEquals(1.0, sum, 1e-4, "row " + r + " sums to 1");
        }
        assertArrayEquals(p, probabilities(trainer.train(trainingData(), Optional.empty(), run(1))).data(),
                "the same trainer, data and seed give the same model");
        assertArrayEquals(p, probabilities(provider().trainer(config(), context())
                .train(trainingData(), Optional.empty(), run(2))).data(), "2 threads give what 1 gives");
        if (learns()) {
            int[] predicted = first.predict(testData().features());
            int right = 0;
            for (int i = 0; i < predicted.length; i++) {
                right += predicted[i] == testData().labels()[i] ? 1 : 0;
            }
            assertTrue(right > predicted.length / classes, "better than chance on separable data: " + right + " of "
                    + predicted.length);
        }
    }

    @Test
    void saveLoadSaveGivesIdenticalPredictionsAndBytes() {
        Model model = provider().trainer(config(), context()).train(trainingData(), Optional.empty(), run(1));
        Path saved = work.resolve("saved");
        model.save(saved);
        Model loaded = provider().load(saved, context());
        assertArrayEquals(probabilities(model).data(), probabilities(loaded).data(), "predictions after reload");
        assertEquals(model.classNames(), loaded.classNames());
        assertEquals(model.sampleShape(), loaded.sampleShape());
        Path again = work.resolve("again");
        model.save(again);
        assertEquals(contents(saved), contents(again), "saving one model twice writes the same bytes");
        Path resaved = work.resolve("resaved");
        loaded.save(resaved);
        assertArrayEquals(probabilities(model).data(), probabilities(provider().load(resaved, context())).data(),
                "predictions after save, load, save, load");
        if (resavesIdentically()) {
            assertEquals(contents(saved), contents(resaved), "a loaded model saves to the bytes it was read from");
        }
    }

    @Test
    void damagedFilesOfASavedModelAreDataFormatExceptions() {
        Model model = provider().trainer(config(), context()).train(trainingData(), Optional.empty(), run(1));
        Path saved = work.resolve("intact");
        model.save(saved);
        List<String> problems = new ArrayList<>();
        int damage = 0;
        for (String file : contents(saved).keySet()) {
            byte[] bytes = contents(saved).get(file).bytes();
            for (String how : List.of("truncated", "garbled", "missing")) {
                Path copy = linkedCopyOf(saved, work.resolve("damaged-" + damage++));
                Path target = copy.resolve(file);
                try {
                    Files.delete(target);
                    switch (how) {
                        case "truncated" -> Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                        case "garbled" -> Files.write(target, garbled(bytes));
                        default -> {
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                try {
                    provider().load(copy, context());
                    problems.add(file + " " + how + ": loaded without an error");
                } catch (DataFormatException expected) {
                    // the contract
                } catch (RuntimeException e) {
                    problems.add(file + " " + how + ": " + e.getClass().getName() + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), problems, "each damaged file must be a DataFormatException");
    }

    private static DataShape shapeOf(Dataset data) {
        return new DataShape(data.sampleShape(), data.numClasses(), data.size());
    }

    /** The bytes {@code 0x5A ^ b} ... at every byte: same length, nothing of the original left. */
    private static byte[] garbled(byte[] bytes) {
        byte[] out = new byte[Math.max(bytes.length, 16)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((i < bytes.length ? bytes[i] : 0) ^ 0xA5 ^ (i * 31));
        }
        return out;
    }

    private static ConfigException assertThrowsConfig(Runnable action) {
        try {
            action.run();
        } catch (ConfigException e) {
            return e;
        } catch (RuntimeException e) {
            fail("expected a ConfigException naming the key, got " + e.getClass().getName() + ": " + e.getMessage());
        }
        return fail("expected a ConfigException naming the key, but nothing was thrown");
    }

    /** A file's bytes with a readable equality. */
    private record Content(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Content c && java.util.Arrays.equals(bytes, c.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return bytes.length + " bytes, sha-256 " + sha256(bytes);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every regular file under {@code dir} by its relative path (with {@code /}), sorted. */
    private static Map<String, Content> contents(Path dir) {
        Map<String, Content> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'), new Content(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code dir}'s tree under {@code to}, its files hard-linked (cheap for large weights; replace, never edit). */
    private static Path linkedCopyOf(Path dir, Path to) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(dir.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.createLink(target, f);
                    } catch (UnsupportedOperationException | IOException e) {
                        Files.copy(f, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return to;
    }
}
