package org.modelbench.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.modelbench.fuzz.FuzzFiles;

/** NumPy files: {@code .npy} headers and data, and {@code .npz} archives. */
class NpyReaderFuzzTest {
    private static final Path DIR = FuzzFiles.folder("npy");

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void npyFiles(byte[] bytes) {
        Path file = FuzzFiles.write(DIR, "input.npy", bytes);
        FuzzFiles.expectOnlyTypedErrors(() -> NpyReader.read(file));
        FuzzFiles.expectOnlyTypedErrors(() -> {
            for (String name : NpyReader.names(file)) {
                NpyReader.read(file, name);
            }
        });
    }
}
