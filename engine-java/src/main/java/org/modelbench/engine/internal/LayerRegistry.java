package org.modelbench.engine.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.ProviderCatalogue;

/**
 * The layer types one network may be built from: the engine's built-in providers, then the layer
 * providers of a {@link ProviderCatalogue} (a plugin's layers). An immutable value made per build,
 * never a global: two catalogues in one JVM never see each other's layers.
 *
 * <p>A catalogue normally holds the engine's own providers too; those are the same types and are
 * taken once. A different provider under a built-in id fails fast, naming both.
 */
public final class LayerRegistry {
    private static final LayerRegistry BUILT_IN = new LayerRegistry(ProviderCatalogue.empty());

    private final Map<String, LayerProvider<?>> byId = new LinkedHashMap<>();

    private LayerRegistry(ProviderCatalogue catalogue) {
        for (LayerProvider<?> p : LayerProviders.all()) {
            byId.put(p.id(), p);
        }
        for (LayerProvider<?> p : catalogue.layers()) {
            LayerProvider<?> previous = byId.putIfAbsent(p.id(), p);
            if (previous != null && previous.getClass() != p.getClass()) {
                throw new InvalidInputException("duplicate layer id '" + p.id() + "': provided by "
                        + ProviderCatalogue.origin(previous) + " and by " + ProviderCatalogue.origin(p)
                        + "; remove one of them");
            }
        }
    }

    /** The built-in layer types only. */
    public static LayerRegistry builtIn() {
        return BUILT_IN;
    }

    /** The built-in layer types and those of {@code catalogue}. */
    public static LayerRegistry of(ProviderCatalogue catalogue) {
        return catalogue.layers().isEmpty() ? BUILT_IN : new LayerRegistry(catalogue);
    }

    /** The provider of {@code type}, or null. */
    public LayerProvider<?> find(String type) {
        return byId.get(type);
    }

    /** The known types, comma-separated: the built-in ones, then those of plugins. */
    public String knownTypes() {
        return String.join(", ", List.copyOf(byId.keySet()));
    }
}
