package org.modelbench.api.spi;

import java.util.Objects;

/**
 * What the platform hands a provider when it asks for work ({@link ModelFamilyProvider#trainer},
 * {@link ModelFamilyProvider#load}, {@link ModelFamilyProvider#check}, {@link CommandProvider#execute}):
 * the catalogue of every provider it found, so that a family can build a plugin's layer types, or a
 * command can read a saved model of another family, without any global registry.
 *
 * @param catalogue every loaded provider, by kind and id
 */
public record ProviderContext(ProviderCatalogue catalogue) {
    public ProviderContext {
        Objects.requireNonNull(catalogue, "catalogue");
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
