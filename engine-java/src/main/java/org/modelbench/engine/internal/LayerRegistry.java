package org.modelbench.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.modelbench.api.spi.LayerProvider;

/** The built-in layer providers by id. */
public final class LayerRegistry {
    private static final Map<String, LayerProvider<?>> BY_ID = new LinkedHashMap<>();

    static {
        for (LayerProvider<?> p : LayerProviders.all()) {
            BY_ID.put(p.id(), p);
        }
    }

    private LayerRegistry() {
    }

    /** The provider of {@code type}, or null. */
    public static LayerProvider<?> find(String type) {
        return BY_ID.get(type);
    }

    /** The known types, comma-separated. */
    public static String knownTypes() {
        return BY_ID.keySet().stream().collect(Collectors.joining(", "));
    }
}
