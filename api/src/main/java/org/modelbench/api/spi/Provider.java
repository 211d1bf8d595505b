package org.modelbench.api.spi;

/** What every provider says about itself. Implementations must be cheap to construct. */
public interface Provider {

    /** A unique kebab-case id, e.g. {@code tribuo-random-forest}; manifests refer to it. */
    String id();

    /** One line on what it provides. */
    default String description() {
        return "";
    }

    /**
     * The provider's version: its module's version when it has one, else its jar manifest's
     * implementation version, else {@code dev}.
     */
    default String version() {
        Module module = getClass().getModule();
        if (module.isNamed() && module.getDescriptor() != null) {
            var version = module.getDescriptor().rawVersion();
            if (version.isPresent()) {
                return version.get();
            }
        }
        String implementation = getClass().getPackage().getImplementationVersion();
        return implementation != null ? implementation : "dev";
    }
}
