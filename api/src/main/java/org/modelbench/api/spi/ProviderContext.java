package org.modelbench.api.spi;

import java.util.Objects;

/**
 * What the platform hands a provider when it asks for work ({@link ModelFamilyProvider#trainer},
 * {@link ModelFamilyProvider#load}, {@link ModelFamilyProvider#check}, {@link CommandProvider#execute}):
 * the catalogue of every provider it found, so that a family can build a plugin's layer types, or a
 * command can read a saved model of another family, without any global registry.
 *
 * <p>It also carries the run's memory budget: the bytes a model may plan to hold (parameters,
 * gradients, optimiser state, per-pass buffers). {@code modelbench --max-memory} sets it; by default
 * it is the JVM's maximum heap. Families check their models against it before anything is
 * allocated ({@link ModelFamilyProvider#check}) and size their batches from it.
 *
 * @param catalogue          every loaded provider, by kind and id
 * @param memoryBudgetBytes  the memory budget in bytes, {@code > 0}
 */
public record ProviderContext(ProviderCatalogue catalogue, long memoryBudgetBytes) {
    public ProviderContext {
        Objects.requireNonNull(catalogue, "catalogue");
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memoryBudgetBytes must be > 0, got " + memoryBudgetBytes);
        }
    }

    /** A context for {@code catalogue} whose memory budget is the JVM's maximum heap. */
    public ProviderContext(ProviderCatalogue catalogue) {
        this(catalogue, Runtime.getRuntime().maxMemory());
    }

    /** This context with a memory budget of {@code bytes}. */
    public ProviderContext withMemoryBudget(long bytes) {
        return new ProviderContext(catalogue, bytes);
    }

    /** A context whose catalogue holds the providers {@link ProviderCatalogue#discover()} finds (tests, library use). */
    public static ProviderContext discover() {
        return new ProviderContext(ProviderCatalogue.discover());
    }

    /** A context with an empty catalogue: for a provider that needs no other provider (tests). */
    public static ProviderContext empty() {
        return new ProviderContext(ProviderCatalogue.empty());
    }

    /** A context whose catalogue holds exactly {@code providers}. */
    public static ProviderContext of(Provider... providers) {
        return new ProviderContext(ProviderCatalogue.of(providers));
    }
}
