package org.modelbench.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.modelbench.testkit.ServiceFiles;

/**
 * Every module of the repository lists the same providers in its {@code module-info.java}
 * ({@code provides}, for the module path) and its {@code META-INF/services} files (for the class
 * path).
 */
class ServiceFilesTest {
    @Test
    void everyModulesProvidesMatchItsServiceFiles() throws Exception {
        List<Path> modules;
        try (Stream<Path> files = Files.walk(ModelbenchProcess.REPOSITORY, 6)) {
            modules = files.filter(p -> p.endsWith(Path.of("src/main/java/module-info.java")))
                    .filter(p -> !p.toString().contains("/target/"))
                    .map(p -> p.getParent().getParent().getParent().getParent()).sorted().toList();
        }
        assertTrue(modules.size() >= 8, "found the modules: " + modules);
        int providing = 0;
        for (Path module : modules) {
            ServiceFiles.assertProvidesMatchServiceFiles(module);
            providing += Files.readString(module.resolve("src/main/java/module-info.java")).contains("provides ") ? 1 : 0;
        }
        assertTrue(providing >= 5, "modules that provide services: " + providing);
    }
}
