package org.modelbench.app.testfamily;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.testkit.ModelFamilyContract;

/** The testkit's family contract for the app's own test families. */
class TestFamilyContractsTest {

    @Nested
    class NearestCentroid extends ModelFamilyContract<NearestCentroidProvider.Config> {
        @Override
        protected ModelFamilyProvider<NearestCentroidProvider.Config> provider() {
            return new NearestCentroidProvider();
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("temperature", 0), "temperature"));
        }
    }

    @Nested
    class SoftmaxRegression extends ModelFamilyContract<SoftmaxRegressionProvider.Config> {
        @Override
        protected ModelFamilyProvider<SoftmaxRegressionProvider.Config> provider() {
            return new SoftmaxRegressionProvider();
        }

        @Override
        protected Map<String, Object> params() {
            return Map.of("epochs", 5, "batchSize", 16);
        }

        @Override
        protected List<InvalidParams> invalidParams() {
            return List.of(new InvalidParams(Map.of("epochs", 0), "epochs"));
        }
    }
}
