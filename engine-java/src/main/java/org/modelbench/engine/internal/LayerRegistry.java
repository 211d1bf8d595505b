package org.modelbench.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.LayerTypes;

/**
 * The layer types networks are built from: the built-in providers by id, then those of plugins
 * ({@link LayerTypes}: what the platform's plugin registry found).
 */
public final class LayerRegistry {
    private static final Map<String, LayerProvider<?>> BY_ID = new LinkedHashMap<>();

    static {
        for (LayerProvider<?> p : LayerProviders.all()) {
            BY_ID.put(p.id(), p);
        }
    }

    private LayerRegistry() {
    }

    /** The provider of {@code type}, built-in first, or null. */
    public static LayerProvider<?> find(String type) {
        LayerProvider<?> builtIn = BY_ID.get(type);
        return builtIn != null ? builtIn : LayerTypes.find(type).orElse(null);
    }

    /** The known types, comma-separated: the built-in ones, then those of plugins. */
    public static String knownTypes() {
        return Stream.concat(BY_ID.keySet().stream(), LayerTypes.ids().stream().filter(id -> !BY_ID.containsKey(id)))
                .collect(Collectors.joining(", "));
    }
}
