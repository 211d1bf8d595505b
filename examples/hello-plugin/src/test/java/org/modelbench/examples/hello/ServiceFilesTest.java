package org.modelbench.examples.hello;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.modelbench.testkit.ServiceFiles;

/** module-info.java's {@code provides} and META-INF/services list the same providers. */
class ServiceFilesTest {
    @Test
    void providesMatchServiceFiles() {
        ServiceFiles.assertProvidesMatchServiceFiles(Path.of(""));
    }
}
