package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * One layer of a Keras functional (or sequential) model as its topology describes it.
 *
 * @param name      the layer name (also the name of its output value and ONNX node)
 * @param className the Keras class, e.g. {@code Conv2D}
 * @param config    the layer's {@code config} object
 * @param inbound   the names of the layers whose outputs it reads, in order
 */
public record KerasLayer(String name, String className, JsonNode config, List<String> inbound) {
    public KerasLayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(config, "config");
        inbound = List.copyOf(inbound);
    }
}
