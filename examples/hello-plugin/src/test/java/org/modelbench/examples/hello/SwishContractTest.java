package org.modelbench.examples.hello;

import java.util.Map;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.testkit.LayerContract;

/** The platform's contract for layers, run against {@code hello-swish}. */
class SwishContractTest extends LayerContract<SwishConfig> {

    @Override
    protected LayerProvider<SwishConfig> provider() {
        return new SwishLayerProvider();
    }

    @Override
    protected Map<String, Object> spec() {
        return Map.of("beta", 1.5);
    }
}
