package org.modelbench.tribuo;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.testkit.ModelFamilyContract;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.LogisticConfig;
import org.modelbench.tribuo.config.RandomForestConfig;

/**
 * The testkit's family contract for every Tribuo family. Tribuo's protobuf form of a model it
 * deserialised differs in bytes from the form of the model it trained (same predictions), so
 * {@code resavesIdentically} is off; saving one model twice is byte-identical, as reproduce needs.
 */
class TribuoContractsTest {

    @Nested
    class RandomForest extends ModelFamilyContract<RandomForestConfig> {
        @Override
        protected boolean resavesIdentically() {
            return false;
        }

        @Override
        protected ModelFamilyProvider<RandomForestConfig> provider() {
            return new RandomForestProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("trees", 5);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("trees", 0), "trees"),
                    new InvalidParams(Map.of("featureFraction", 1.5), "featureFraction"));
        }
    }

    @Nested
    class ExtraTrees extends ModelFamilyContract<ExtraTreesConfig> {
        @Override
        protected boolean resavesIdentically() {
            return false;
        }

        @Override
        protected ModelFamilyProvider<ExtraTreesConfig> provider() {
            return new ExtraTreesProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("trees", 5);
        }
    }

    @Nested
    class Cart extends ModelFamilyContract<CartConfig> {
        @Override
        protected boolean resavesIdentically() {
            return false;
        }

        @Override
        protected ModelFamilyProvider<CartConfig> provider() {
            return new CartProvider();
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("maxDepth", -1), "maxDepth"));
        }
    }

    @Nested
    class Logistic extends ModelFamilyContract<LogisticConfig> {
        @Override
        protected boolean resavesIdentically() {
            return false;
        }

        @Override
        protected ModelFamilyProvider<LogisticConfig> provider() {
            return new LogisticProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 3);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("learningRate", -1), "learningRate"));
        }
    }
}
