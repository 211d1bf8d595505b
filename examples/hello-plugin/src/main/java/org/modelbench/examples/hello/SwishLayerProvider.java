package org.modelbench.examples.hello;

import org.modelbench.api.Layer;
import org.modelbench.api.Shape;
import org.modelbench.api.spi.LayerProvider;

/** Provides the {@code hello-swish} layer type, usable in any engine model's layer specs. */
public final class SwishLayerProvider implements LayerProvider<SwishConfig> {
    /** The layer type id. */
    public static final String ID = "hello-swish";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "swish activation x * sigmoid(beta * x) (example third-party layer)";
    }

    @Override
    public Class<SwishConfig> configType() {
        return SwishConfig.class;
    }

    @Override
    public Shape outputShape(SwishConfig config, Shape inputShape) {
        return inputShape;
    }

    @Override
    public Layer create(SwishConfig config, Shape inputShape, long seed) {
        return new SwishLayer(inputShape, config.beta().floatValue());
    }
}
