package org.modelbench.examples.hello;

import java.util.List;
import java.util.Map;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.testkit.ModelFamilyContract;

/** The platform's contract for model families, run against {@code hello-nearest-centroid}. */
class NearestCentroidContractTest extends ModelFamilyContract<NearestCentroidConfig> {

    @Override
    protected ModelFamilyProvider<NearestCentroidConfig> provider() {
        return new NearestCentroidProvider();
    }

    @Override
    protected List<InvalidParams> invalidParams() {
        return List.of(new InvalidParams(Map.of("sharpness", -1), "sharpness"),
                new InvalidParams(Map.of("sharpness", "sharp"), "sharpness"));
    }
}
