package org.modelbench.api.spi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.modelbench.api.InvalidInputException;

/**
 * Every provider the platform can use, by kind and id: the one catalogue of model families, layer
 * types, datasets and commands. It is immutable and built once, by the application's plugin
 * registry (from the module path and each {@code plugins/} jar), then handed to providers through
 * {@link ProviderContext}; nothing in the platform keeps providers in static state. A family that
 * builds layers by type name (a {@code cnn}'s layer specs, a saved model's architecture) looks them
 * up here, so a plugin's layer types are usable next to the built-in ones.
 *
 * <p>Ids are unique per kind: {@link #of} fails fast on a duplicate, naming the module and jar of
 * both providers. Lists keep the order providers were given in.
 */
public final class ProviderCatalogue {
    private static final ProviderCatalogue EMPTY = new ProviderCatalogue(List.of());

    private final Map<String, ModelFamilyProvider<?>> families = new LinkedHashMap<>();
    private final Map<String, LayerProvider<?>> layers = new LinkedHashMap<>();
    private final Map<String, DatasetProvider> datasets = new LinkedHashMap<>();
    private final Map<String, CommandProvider> commands = new LinkedHashMap<>();

    private ProviderCatalogue(Collection<? extends Provider> providers) {
        for (Provider p : providers) {
            boolean known = false;
            if (p instanceof ModelFamilyProvider<?> f) {
                put(families, "model family", f);
                known = true;
            }
            if (p instanceof LayerProvider<?> l) {
                put(layers, "layer", l);
                known = true;
            }
            if (p instanceof DatasetProvider d) {
                put(datasets, "dataset", d);
                known = true;
            }
            if (p instanceof CommandProvider c) {
                put(commands, "command", c);
                known = true;
            }
            if (!known) {
                throw new IllegalArgumentException(p.getClass().getName() + " (id '" + p.id()
                        + "') is no model family, layer, dataset or command provider");
            }
        }
    }

    /**
     * A catalogue of {@code providers}, each filed under every provider interface it implements.
     *
     * @throws InvalidInputException when two providers of one kind share an id, naming both
     */
    public static ProviderCatalogue of(Collection<? extends Provider> providers) {
        return new ProviderCatalogue(providers);
    }

    /** A catalogue of {@code providers}. */
    public static ProviderCatalogue of(Provider... providers) {
        return new ProviderCatalogue(List.of(providers));
    }

    /** The catalogue without any provider. */
    public static ProviderCatalogue empty() {
        return EMPTY;
    }

    /**
     * The providers {@link ServiceLoader} finds from the application's module layer and class path
     * (no {@code plugins/} folder): for tests and for families used as a library. The application
     * itself builds its catalogue with its plugin registry instead.
     */
    public static ProviderCatalogue discover() {
        List<Provider> all = new ArrayList<>();
        for (Class<? extends Provider> kind : List.of(ModelFamilyProvider.class, LayerProvider.class,
                DatasetProvider.class, CommandProvider.class)) {
            for (Provider p : ServiceLoader.load(kind)) {
                if (all.stream().noneMatch(q -> q == p || q.getClass() == p.getClass())) {
                    all.add(p);
                }
            }
        }
        return new ProviderCatalogue(all);
    }

    /** This catalogue plus {@code more} (ids still unique per kind). */
    public ProviderCatalogue with(Collection<? extends Provider> more) {
        List<Provider> all = new ArrayList<>(all());
        all.addAll(more);
        return new ProviderCatalogue(all);
    }

    public List<ModelFamilyProvider<?>> families() {
        return List.copyOf(families.values());
    }

    public List<LayerProvider<?>> layers() {
        return List.copyOf(layers.values());
    }

    public List<DatasetProvider> datasets() {
        return List.copyOf(datasets.values());
    }

    public List<CommandProvider> commands() {
        return List.copyOf(commands.values());
    }

    public Optional<ModelFamilyProvider<?>> family(String id) {
        return Optional.ofNullable(families.get(id));
    }

    public Optional<LayerProvider<?>> layer(String id) {
        return Optional.ofNullable(layers.get(id));
    }

    public Optional<DatasetProvider> dataset(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    public Optional<CommandProvider> command(String id) {
        return Optional.ofNullable(commands.get(id));
    }

    /**
     * Where a provider's code comes from, for messages and lock files: {@code module NAME (PATH)},
     * the path being its jar or classes folder when known.
     */
    public static String origin(Provider provider) {
        Class<?> type = provider.getClass();
        Module module = type.getModule();
        return "module " + (module.isNamed() ? module.getName() : "unnamed") + " (" + location(type) + ")";
    }

    /** The jar or classes folder {@code type} was loaded from, or {@code unknown}. */
    public static String location(Class<?> type) {
        Module module = type.getModule();
        if (module.isNamed() && module.getLayer() != null) {
            Optional<String> where = module.getLayer().configuration().findModule(module.getName())
                    .flatMap(m -> m.reference().location()).map(u -> {
                        try {
                            return Path.of(u).toString();
                        } catch (RuntimeException e) {
                            return u.toString();
                        }
                    });
            if (where.isPresent()) {
                return where.get();
            }
        }
        var codeSource = type.getProtectionDomain().getCodeSource();
        if (codeSource != null && codeSource.getLocation() != null) {
            try {
                return Path.of(codeSource.getLocation().toURI()).toString();
            } catch (Exception e) {
                return codeSource.getLocation().toString();
            }
        }
        return "unknown";
    }

    private List<Provider> all() {
        List<Provider> all = new ArrayList<>();
        for (Map<String, ? extends Provider> m : List.of(families, layers, datasets, commands)) {
            for (Provider p : m.values()) {
                if (all.stream().noneMatch(q -> q == p)) {
                    all.add(p);
                }
            }
        }
        return all;
    }

    private static <P extends Provider> void put(Map<String, P> byId, String kind, P next) {
        P previous = byId.putIfAbsent(next.id(), next);
        // one class found through two of its provider interfaces is one provider
        if (previous != null && previous.getClass() != next.getClass()) {
            throw new InvalidInputException("duplicate " + kind + " id '" + next.id() + "': provided by "
                    + origin(previous) + " and by " + origin(next) + "; remove one of them");
        }
    }
}
