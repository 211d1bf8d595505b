package org.modelbench.tribuo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.modelbench.api.ConfigException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.RecordBinder;

class ConfigValidationTest {

    @Test
    void fillsDocumentedDefaults() {
        RandomForestConfig forest = RandomForestConfig.defaults();
        assertEquals(100, forest.trees());
        assertEquals(0, forest.maxDepth());
        assertEquals(0.1, forest.featureFraction());
        assertEquals(1.0, forest.minChildWeight());
        assertEquals(null, forest.seed());
        assertEquals(Splitter.HISTOGRAM, forest.splitter());
        assertEquals(Splitter.HISTOGRAM, CartConfig.defaults().splitter());
        // A manifest's "splitter: exact" binds to the enum.
        assertEquals(Splitter.EXACT, org.modelbench.api.RecordBinder.bind(java.util.Map.of("splitter", "exact"),
                ExtraTreesConfig.class, "params").splitter());
        assertEquals(100, ExtraTreesConfig.defaults().trees());
        assertEquals(1.0, CartConfig.defaults().featureFraction());
        assertEquals(5.0, CartConfig.defaults().minChildWeight());
        LogisticConfig logistic = LogisticConfig.defaults();
        assertEquals(5, logistic.epochs());
        assertEquals(1.0, logistic.learningRate());
        assertEquals(1, logistic.minibatchSize());
    }

    @Test
    void zeroTreesNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new RandomForestConfig(0, null, null, null, null));
        assertEquals("trees", e.key());
        assertEquals("trees: expected an integer >= 1, got 0", e.getMessage());
        assertEquals("trees", assertThrows(ConfigException.class,
                () -> new ExtraTreesConfig(-3, null, null, null, null)).key());
    }

    @Test
    void featureFractionOutsideZeroOneNamesTheKey() {
        for (double bad : new double[] {0.0, -0.5, 1.5, Double.NaN}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> new RandomForestConfig(null, null, bad, null, null));
            assertEquals("featureFraction", e.key());
            assertEquals("featureFraction", assertThrows(ConfigException.class,
                    () -> new CartConfig(null, bad, null, null)).key());
        }
        assertEquals("featureFraction: expected a number in (0, 1], got 1.5",
                assertThrows(ConfigException.class, () -> new ExtraTreesConfig(null, null, 1.5, null, null)).getMessage());
        // A forest whose trees all see every feature is bagged CART, which Tribuo's RandomForestTrainer refuses.
        assertEquals("featureFraction", assertThrows(ConfigException.class,
                () -> new RandomForestConfig(null, null, 1.0, null, null)).key());
        assertEquals(1.0, new CartConfig(null, 1.0, null, null).featureFraction());
    }

    @Test
    void negativeDepthNamesTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new RandomForestConfig(null, -1, null, null, null));
        assertEquals("maxDepth", e.key());
        assertEquals("maxDepth: expected an integer >= 0 (0 = unlimited), got -1", e.getMessage());
        assertEquals("maxDepth", assertThrows(ConfigException.class, () -> new CartConfig(-2, null, null, null)).key());
    }

    @Test
    void otherBadValuesNameTheirKeys() {
        assertEquals("minChildWeight", assertThrows(ConfigException.class,
                () -> new RandomForestConfig(null, null, null, 0.0, null)).key());
        assertEquals("epochs", assertThrows(ConfigException.class, () -> new LogisticConfig(0, null, null, null)).key());
        assertEquals("learningRate", assertThrows(ConfigException.class,
                () -> new LogisticConfig(null, -1.0, null, null)).key());
        assertEquals("minibatchSize", assertThrows(ConfigException.class,
                () -> new LogisticConfig(null, null, 0, null)).key());
    }

    @Test
    void bindingReportsTheFullKeyPathAsAUserError() {
        // A user error (InvalidInputException) is what the command line turns into exit code 2.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> RecordBinder.bind(Map.of("trees", 0), RandomForestConfig.class, "models[1].params"));
        assertEquals("models[1].params.trees: expected an integer >= 1, got 0", e.getMessage());
        RandomForestConfig bound = RecordBinder.bind(Map.of("trees", 30, "maxDepth", 12, "seed", 5),
                RandomForestConfig.class, "params");
        assertEquals(new RandomForestConfig(30, 12, 0.1, 1.0, 5L), bound);
    }
}
