package org.modelbench.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.modelbench.fuzz.FuzzFiles;

/** IDX files, plain and gzip (the reader detects gzip by its magic bytes). */
class IdxReaderFuzzTest {
    private static final Path DIR = FuzzFiles.folder("idx");

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void idxFiles(byte[] bytes) {
        Path file = FuzzFiles.write(DIR, "input.idx", bytes);
        FuzzFiles.expectOnlyTypedErrors(() -> IdxReader.read(file));
        FuzzFiles.expectOnlyTypedErrors(() -> IdxReader.dimensions(file, 3));
    }
}
