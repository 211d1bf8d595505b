package org.modelbench.app.executor;

import java.util.List;
import java.util.ServiceLoader;
import org.modelbench.api.InvalidInputException;

/**
 * The executor adapters the application can see ({@link ServiceLoader} over the application's module
 * layer, or its class path), found once per command.
 */
public final class ExecutorProviders {
    private final List<TrialExecutorProvider> providers;

    private ExecutorProviders(List<TrialExecutorProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** The adapters visible to the application. */
    public static ExecutorProviders load() {
        Module app = ExecutorProviders.class.getModule();
        ServiceLoader<TrialExecutorProvider> loader = app.isNamed() && app.getLayer() != null
                ? ServiceLoader.load(app.getLayer(), TrialExecutorProvider.class)
                : ServiceLoader.load(TrialExecutorProvider.class, ExecutorProviders.class.getClassLoader());
        return new ExecutorProviders(loader.stream().map(ServiceLoader.Provider::get).toList());
    }

    /**
     * The adapter {@code id}.
     *
     * @throws InvalidInputException when no adapter of that id is installed, with what to do about it
     */
    public TrialExecutorProvider require(String id, String hint) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidInputException("--executor " + id + ": the " + hint + " is missing (no "
                        + TrialExecutorProvider.class.getSimpleName() + " '" + id + "' on the class path); "
                        + "expected the modelbench launcher, which adds it for --executor " + id
                        + ", or its jars on the class path"));
    }
}
