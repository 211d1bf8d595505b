package org.modelbench.app.plugins;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.SavedModelHeader;
import org.modelbench.api.provenance.ComponentInfo;
import org.modelbench.api.spi.CommandProvider;
import org.modelbench.api.spi.DatasetProvider;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.Provider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.api.spi.ProviderContext;

/**
 * Every provider the application can use, found with {@link ServiceLoader}.
 *
 * <p>Sources, in order: the application's own module layer (the module path, or the class path when
 * run that way), then each plugin of the plugins folder, each in its own {@link ModuleLayer} (or, on
 * the class path, its own class loader) so that one broken plugin is skipped with a warning naming
 * it while the others still load. A plugin is a {@code *.jar} of the folder, or a sub-folder whose
 * jars (the plugin and the libraries it ships, e.g. a native runtime) make one layer together; it
 * resolves the platform's modules ({@code org.modelbench.api}, and whatever else the application
 * has) from the application's layer. Ids must be unique per kind: a duplicate fails fast with
 * both origins named.
 *
 * <p>The registry is a value: it builds one {@link ProviderCatalogue} and hands it to providers
 * through {@link #context()}. Nothing is installed globally, so two registries loaded in one JVM
 * (say, with different plugin folders) never see each other's providers.
 */
public final class PluginRegistry {
    /** The kinds of provider, as shown by {@code modelbench plugins}. */
    public static final String MODEL_FAMILY = "model-family";
    public static final String LAYER = "layer";
    public static final String DATASET = "dataset";
    public static final String COMMAND = "command";

    private final Map<String, Registered<ModelFamilyProvider<?>>> families;
    private final Map<String, Registered<LayerProvider<?>>> layers;
    private final Map<String, Registered<DatasetProvider>> datasets;
    private final Map<String, Registered<CommandProvider>> commands;
    private final List<String> warnings;
    private final ProviderContext context;

    private PluginRegistry(Map<String, Registered<ModelFamilyProvider<?>>> families,
                           Map<String, Registered<LayerProvider<?>>> layers,
                           Map<String, Registered<DatasetProvider>> datasets,
                           Map<String, Registered<CommandProvider>> commands, List<String> warnings) {
        this(families, layers, datasets, commands, warnings, new ProviderContext(ProviderCatalogue.of(
                Stream.of(families.values(), layers.values(), datasets.values(), commands.values())
                        .flatMap(kind -> kind.stream().map(r -> (Provider) r.provider())).toList())));
    }

    private PluginRegistry(Map<String, Registered<ModelFamilyProvider<?>>> families,
                           Map<String, Registered<LayerProvider<?>>> layers,
                           Map<String, Registered<DatasetProvider>> datasets,
                           Map<String, Registered<CommandProvider>> commands, List<String> warnings,
                           ProviderContext context) {
        this.families = families;
        this.layers = layers;
        this.datasets = datasets;
        this.commands = commands;
        this.warnings = List.copyOf(warnings);
        this.context = context;
    }

    /**
     * The same providers with a memory budget of {@code bytes} in their context ({@code --max-memory}):
     * what families check model sizes against before a bundle exists.
     */
    public PluginRegistry withMemoryBudget(long bytes) {
        return new PluginRegistry(families, layers, datasets, commands, warnings, context.withMemoryBudget(bytes));
    }

    /**
     * Loads every provider.
     *
     * @param pluginsDirectory a folder of plugin jars; ignored when it does not exist
     * @param warn             receives one line per skipped plugin jar
     * @throws InvalidInputException on a duplicate id
     */
    public static PluginRegistry load(Path pluginsDirectory, Consumer<String> warn) {
        List<String> warnings = new ArrayList<>();
        Consumer<String> collect = w -> {
            warnings.add(w);
            warn.accept(w);
        };
        Loader loader = new Loader();
        loader.loadFrom(Source.application(), collect);
        for (Path jar : jars(pluginsDirectory, collect)) {
            Source source;
            try {
                source = Source.pluginJar(jar);
            } catch (RuntimeException | LinkageError e) {
                collect.accept("skipped plugin " + jar + ": " + describe(e));
                continue;
            }
            loader.loadFrom(source, collect);
        }
        return new PluginRegistry(loader.families, loader.layers, loader.datasets, loader.commands, warnings);
    }

    /** The plugins folder: {@code $MODELBENCH_PLUGINS}, else {@code plugins} in the working folder. */
    public static Path defaultPluginsDirectory() {
        String env = System.getenv("MODELBENCH_PLUGINS");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("plugins");
    }

    /** The catalogue of every loaded provider, for the providers' {@code trainer}, {@code load}, {@code check} ... */
    public ProviderContext context() {
        return context;
    }

    /** Every loaded provider by kind and id. */
    public ProviderCatalogue catalogue() {
        return context.catalogue();
    }

    /** Every provider's description, sorted by kind then id. */
    public List<ComponentInfo> components() {
        return Stream.of(families.values(), layers.values(), datasets.values(), commands.values())
                .flatMap(c -> c.stream().map(Registered::info))
                .sorted(Comparator.comparing(ComponentInfo::kind).thenComparing(ComponentInfo::id))
                .toList();
    }

    /** Warnings about plugin jars that were skipped. */
    public List<String> warnings() {
        return warnings;
    }

    public List<Registered<ModelFamilyProvider<?>>> families() {
        return List.copyOf(families.values());
    }

    public List<Registered<DatasetProvider>> datasets() {
        return List.copyOf(datasets.values());
    }

    public List<Registered<LayerProvider<?>>> layers() {
        return List.copyOf(layers.values());
    }

    /** Commands contributed by plugins. */
    public List<Registered<CommandProvider>> commands() {
        return List.copyOf(commands.values());
    }

    public Optional<Registered<ModelFamilyProvider<?>>> family(String id) {
        return Optional.ofNullable(families.get(id));
    }

    public Optional<Registered<LayerProvider<?>>> layer(String id) {
        return Optional.ofNullable(layers.get(id));
    }

    public Optional<Registered<DatasetProvider>> dataset(String id) {
        return Optional.ofNullable(datasets.get(id));
    }

    /** The family {@code id}, or an error listing the known ids. */
    public ModelFamilyProvider<?> requireFamily(String id) {
        return family(id).map(Registered::provider).orElseThrow(() -> unknown("model family", id, families));
    }

    /** The dataset {@code id}, or an error listing the known ids. */
    public DatasetProvider requireDataset(String id) {
        return dataset(id).map(Registered::provider).orElseThrow(() -> unknown("dataset", id, datasets));
    }

    /**
     * Reads a saved model directory: its {@link SavedModelHeader} names the family, whose provider
     * reads the rest.
     *
     * @throws InvalidInputException when the directory is not a model, or its family is not loaded
     */
    public Model loadModel(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new InvalidInputException(directory + ": expected a saved model directory (with "
                    + SavedModelHeader.FILE_NAME + ")");
        }
        SavedModelHeader header = SavedModelHeader.read(directory);
        return requireFamily(header.familyId()).load(directory, context);
    }

    /**
     * Binds {@code params} (a tree of maps, lists and scalars; {@code null} for none) to the config
     * record of family {@code familyId}.
     *
     * @param path the key path of {@code params} for error messages, e.g. {@code models[2].params}
     */
    public Record bindConfig(String familyId, Object params, String path) {
        return RecordBinder.bind(params, requireFamily(familyId).configType(), path);
    }

    private static InvalidInputException unknown(String kind, String id, Map<String, ?> known) {
        return new InvalidInputException("unknown " + kind + " '" + id + "'; known: "
                + String.join(", ", known.keySet().stream().sorted().toList())
                + " (modelbench plugins lists them)");
    }

    private static List<Path> jars(Path directory, Consumer<String> warn) {
        if (directory == null || !Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar") || Files.isDirectory(p)).sorted()
                    .toList();
        } catch (IOException e) {
            warn.accept("cannot list plugins folder " + directory + ": " + e.getMessage());
            return List.of();
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message;
    }

    /** Where providers are looked up: a module layer, or a class loader on the class path. */
    private record Source(ModuleLayer layer, ClassLoader loader, String jar) {
        static Source application() {
            Module app = PluginRegistry.class.getModule();
            return app.isNamed() ? new Source(app.getLayer(), null, null)
                    : new Source(null, PluginRegistry.class.getClassLoader(), null);
        }

        /** A plugin jar, or a folder of jars loaded together. */
        static Source pluginJar(Path jar) {
            String location = jar.toAbsolutePath().toString();
            ModuleLayer parent = PluginRegistry.class.getModule().getLayer();
            if (parent != null) {
                ModuleFinder finder = ModuleFinder.of(jar);
                Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name())
                        .collect(Collectors.toSet());
                Configuration configuration = parent.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
                ModuleLayer layer = parent.defineModulesWithOneLoader(configuration,
                        PluginRegistry.class.getClassLoader());
                return new Source(layer, null, location);
            }
            try {
                List<URL> urls = new ArrayList<>();
                for (Path file : Files.isDirectory(jar) ? jars(jar, w -> { }).stream().filter(Files::isRegularFile).toList()
                        : List.of(jar)) {
                    urls.add(file.toUri().toURL());
                }
                URLClassLoader loader = new URLClassLoader("plugin " + jar.getFileName(), urls.toArray(URL[]::new),
                        PluginRegistry.class.getClassLoader());
                return new Source(null, loader, location);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        <S> List<ServiceLoader.Provider<S>> providers(Class<S> service) {
            ServiceLoader<S> serviceLoader = layer != null ? ServiceLoader.load(layer, service)
                    : ServiceLoader.load(service, loader);
            return serviceLoader.stream()
                    .filter(p -> layer == null ? jar == null || fromThisLoader(p) : p.type().getModule().getLayer() == layer)
                    .toList();
        }

        private boolean fromThisLoader(ServiceLoader.Provider<?> p) {
            return p.type().getClassLoader() == loader;
        }

        String location(Class<?> type) {
            return jar != null ? jar : ProviderCatalogue.location(type);
        }
    }

    /** Accumulates providers of each kind and enforces unique ids. */
    private static final class Loader {
        final Map<String, Registered<ModelFamilyProvider<?>>> families = new LinkedHashMap<>();
        final Map<String, Registered<LayerProvider<?>>> layers = new LinkedHashMap<>();
        final Map<String, Registered<DatasetProvider>> datasets = new LinkedHashMap<>();
        final Map<String, Registered<CommandProvider>> commands = new LinkedHashMap<>();

        @SuppressWarnings({"unchecked", "rawtypes"})
        void loadFrom(Source source, Consumer<String> warn) {
            try {
                List<Registered<ModelFamilyProvider<?>>> f = instantiate(source, (Class) ModelFamilyProvider.class,
                        MODEL_FAMILY);
                List<Registered<LayerProvider<?>>> l = instantiate(source, (Class) LayerProvider.class, LAYER);
                List<Registered<DatasetProvider>> d = instantiate(source, DatasetProvider.class, DATASET);
                List<Registered<CommandProvider>> c = instantiate(source, CommandProvider.class, COMMAND);
                if (source.jar() != null && f.isEmpty() && l.isEmpty() && d.isEmpty() && c.isEmpty()) {
                    warn.accept("plugin " + source.jar() + " provides no model family, layer, dataset or command");
                }
                f.forEach(r -> add(families, r));
                l.forEach(r -> add(layers, r));
                d.forEach(r -> add(datasets, r));
                c.forEach(r -> add(commands, r));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                if (source.jar() == null || e instanceof DuplicateIdException) {
                    throw e;
                }
                warn.accept("skipped plugin " + source.jar() + ": " + describe(e));
            }
        }

        private <P extends Provider> List<Registered<P>> instantiate(Source source, Class<P> service, String kind) {
            List<Registered<P>> out = new ArrayList<>();
            for (ServiceLoader.Provider<P> p : source.providers(service)) {
                P provider = p.get();
                String location = source.location(p.type());
                out.add(new Registered<>(provider, new ComponentInfo(kind, provider.id(), provider.version(),
                        moduleName(p.type().getModule(), location), location)));
            }
            return out;
        }

        /**
         * The module's name; on the class path, the name the jar (or classes folder) has as a module, so
         * that provenance and model cards read the same whether the application runs on the module path
         * or on the class path (as under the Spark executor); {@code unnamed} for a jar that is no module.
         */
        private static String moduleName(Module module, String location) {
            if (module.isNamed()) {
                return module.getName();
            }
            try {
                List<String> names = ModuleFinder.of(Path.of(location)).findAll().stream()
                        .map(r -> r.descriptor().name()).toList();
                return names.size() == 1 ? names.get(0) : "unnamed";
            } catch (RuntimeException e) {
                return "unnamed";
            }
        }

        private static <P extends Provider> void add(Map<String, Registered<P>> map, Registered<P> next) {
            Registered<P> previous = map.putIfAbsent(next.info().id(), next);
            if (previous != null) {
                throw new DuplicateIdException("duplicate " + next.info().kind() + " id '" + next.info().id()
                        + "': provided by " + origin(previous.info()) + " and by " + origin(next.info())
                        + "; remove one of them");
            }
        }

        private static String origin(ComponentInfo info) {
            return "module " + info.module() + " (" + info.location() + ")";
        }
    }

    /** Two providers of one kind share an id. */
    public static final class DuplicateIdException extends InvalidInputException {
        DuplicateIdException(String message) {
            super(message);
        }
    }
}
