package org.modelbench.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.RandomForestConfig;

/** Class order, absent classes and bad saved files, on a small synthetic problem. */
class ClassOrderTest {
    /** Class names deliberately not in alphabetical order; "middle" (index 1) never occurs in training. */
    private static final List<String> CLASSES = List.of("zulu", "middle", "alpha");

    /** Rows of 4 features: class 0 has large feature 0, class 2 has large feature 3. */
    private static Dataset twoOfThreeClasses() {
        int n = 60;
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0 ? 0 : 2;
            x[i * 4 + (y[i] == 0 ? 0 : 3)] = 10 + i % 7;
            x[i * 4 + 1] = i % 3;
        }
        return new Dataset("synthetic", Tensor.of(Shape.of(n, 4), x), y, CLASSES, Map.of());
    }

    @Test
    void probabilitiesFollowThePlatformClassOrderAndAbsentClassesGetZero() {
        Model cart = new CartProvider().trainer(new CartConfig(null, null, 1.0, null), ProviderContext.empty()).train(twoOfThreeClasses(),
                RunContext.of(1));
        Tensor probe = Tensor.of(Shape.of(2, 4), new float[] {12, 0, 0, 0, 0, 0, 0, 12});
        Tensor p = cart.predictProbabilities(probe);
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1}, p.data());
        assertArrayEquals(new int[] {0, 2}, cart.predict(probe));
        assertEquals(CLASSES, cart.classNames());
    }

    @Test
    void aForestWithTheDefaultFractionStillSplitsOnFewFeatures() {
        // 0.1 of 4 features rounds to none in Tribuo; the trainer raises it to one feature per split.
        Model forest = new RandomForestProvider().trainer(new RandomForestConfig(5, null, null, null, null), ProviderContext.empty())
                .train(twoOfThreeClasses(), RunContext.of(1));
        Tensor probe = Tensor.of(Shape.of(2, 4), new float[] {12, 0, 0, 0, 0, 0, 0, 12});
        assertArrayEquals(new int[] {0, 2}, forest.predict(probe));
    }

    @Test
    void refusesABatchOfTheWrongShape() {
        Model cart = new CartProvider().trainer(CartConfig.defaults(), ProviderContext.empty()).train(twoOfThreeClasses(), RunContext.of(1));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> cart.predictProbabilities(Tensor.zeros(Shape.of(2, 5))));
        assertTrue(e.getMessage().contains("expected samples of shape 4"), e.getMessage());
    }

    @Test
    void loadingRefusesCorruptedMissingAndForeignFiles(@TempDir Path dir) throws Exception {
        Model forest = new RandomForestProvider().trainer(new RandomForestConfig(3, null, 0.5, null, null), ProviderContext.empty())
                .train(twoOfThreeClasses(), RunContext.of(1));
        forest.save(dir);
        assertEquals(forest.predictProbabilities(twoOfThreeClasses().features()),
                new RandomForestProvider().load(dir, ProviderContext.empty()).predictProbabilities(twoOfThreeClasses().features()));

        DataFormatException foreign = assertThrows(DataFormatException.class, () -> new CartProvider().load(dir, ProviderContext.empty()));
        assertTrue(foreign.getMessage().contains("expected a 'tribuo-cart' model, found a 'tribuo-random-forest'"),
                foreign.getMessage());

        Path model = dir.resolve("tribuo-model.pb.gz");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        DataFormatException truncated = assertThrows(DataFormatException.class,
                () -> new RandomForestProvider().load(dir, ProviderContext.empty()));
        assertEquals(model, truncated.file());

        Files.delete(model);
        DataFormatException missing = assertThrows(DataFormatException.class,
                () -> new RandomForestProvider().load(dir, ProviderContext.empty()));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    }
}
