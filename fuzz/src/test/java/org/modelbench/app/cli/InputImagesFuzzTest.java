package org.modelbench.app.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.modelbench.api.Shape;
import org.modelbench.fuzz.FuzzFiles;

/** The image inputs of predict and explain: PNG (header dimensions first) or IDX. */
class InputImagesFuzzTest {
    private static final Path DIR = FuzzFiles.folder("images");
    private static final Shape SAMPLE = Shape.of(1, 28, 28);

    @FuzzTest(maxExecutions = 100_000, maxDuration = "20m")
    void pngInputs(byte[] bytes) {
        byte[] png = new byte[bytes.length + 8];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, png, 0, 8);
        System.arraycopy(bytes, 0, png, 8, bytes.length);
        Path file = FuzzFiles.write(DIR, "input.png", png);
        FuzzFiles.expectOnlyTypedErrors(() -> InputImages.read(List.of(file), SAMPLE, false, DIR));
        Path raw = FuzzFiles.write(DIR, "input.bin", bytes);
        FuzzFiles.expectOnlyTypedErrors(() -> InputImages.read(List.of(raw), SAMPLE, false, DIR));
    }
}
