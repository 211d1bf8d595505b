package org.modelbench.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.modelbench.fuzz.FuzzFiles;

/** CSV tables: header, numeric and text columns, missing values, a label column. */
class CsvReaderFuzzTest {
    private static final Path DIR = FuzzFiles.folder("csv");
    private static final CsvReader.Options TABLE = new CsvReader.Options(',', true, 0, "label", null, List.of(),
            List.of(), true, true);
    private static final CsvReader.Options STRICT = new CsvReader.Options(';', false, 1, null, null, List.of(),
            List.of(), false, false);

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void csvFiles(byte[] bytes) {
        Path file = FuzzFiles.write(DIR, "input.csv", bytes);
        FuzzFiles.expectOnlyTypedErrors(() -> CsvReader.read(file, TABLE));
        FuzzFiles.expectOnlyTypedErrors(() -> CsvReader.read(file, STRICT));
    }
}
