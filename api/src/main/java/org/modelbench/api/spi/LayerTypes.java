package org.modelbench.api.spi;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The layer types that model families may build beyond their own: every {@link LayerProvider} the
 * platform found, so that a plugin's layer is usable in a manifest's layer specs (and in saved
 * models) next to the built-in ones.
 *
 * <p>The application's plugin registry {@linkplain #install installs} what it discovered on the
 * module path and in the {@code plugins/} jars (each in its own module layer). Until then (a
 * family used as a library), the providers on the module path are found with {@link ServiceLoader}.
 */
public final class LayerTypes {
    private static volatile Map<String, LayerProvider<?>> installed;

    private LayerTypes() {
    }

    /** Makes {@code providers} the known layer types (ids are unique: the registry checked them). */
    public static void install(Collection<? extends LayerProvider<?>> providers) {
        Map<String, LayerProvider<?>> byId = new LinkedHashMap<>();
        for (LayerProvider<?> p : providers) {
            byId.putIfAbsent(p.id(), p);
        }
        installed = Map.copyOf(byId);
    }

    /** The provider of layer type {@code id}, if any. */
    public static Optional<LayerProvider<?>> find(String id) {
        return Optional.ofNullable(known().get(id));
    }

    /** Every known layer type id. */
    public static List<String> ids() {
        return known().keySet().stream().sorted().toList();
    }

    private static Map<String, LayerProvider<?>> known() {
        Map<String, LayerProvider<?>> k = installed;
        if (k == null) {
            Map<String, LayerProvider<?>> byId = new LinkedHashMap<>();
            for (LayerProvider<?> p : ServiceLoader.load(LayerProvider.class, LayerTypes.class.getClassLoader())) {
                byId.putIfAbsent(p.id(), p);
            }
            k = Map.copyOf(byId);
            installed = k;
        }
        return k;
    }
}
