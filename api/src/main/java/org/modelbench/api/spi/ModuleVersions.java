package org.modelbench.api.spi;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/** {@link Provider#version()}: a class's module version, worked out once per class. */
final class ModuleVersions {
    private static final ClassValue<String> VERSIONS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return version(type);
        }
    };

    private ModuleVersions() {
    }

    static String of(Class<?> type) {
        return VERSIONS.get(type);
    }

    private static String version(Class<?> type) {
        Module module = type.getModule();
        Optional<String> version = module.isNamed() && module.getDescriptor() != null
                ? module.getDescriptor().rawVersion() : descriptorOfCodeSource(type).flatMap(ModuleDescriptor::rawVersion);
        if (version.isPresent()) {
            return version.get();
        }
        String implementation = type.getPackage().getImplementationVersion();
        return implementation != null ? implementation : "dev";
    }

    /** On the class path: the module descriptor of the jar or classes folder {@code type} came from, if it has one. */
    private static Optional<ModuleDescriptor> descriptorOfCodeSource(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            return ModuleFinder.of(location).findAll().stream().map(ModuleReference::descriptor)
                    .filter(d -> d.packages().contains(type.getPackageName())).findFirst();
        } catch (RuntimeException | java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
