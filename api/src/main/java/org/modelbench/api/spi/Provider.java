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
     * The provider's version: its module's version when it has one (on the class path too: the version
     * its jar or classes folder has as a module, so that it reads the same on the module path and on
     * the class path), else its jar manifest's implementation version, else {@code dev}.
     */
    default String version() {
        return ModuleVersions.of(getClass());
    }
}
