package org.modelbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modelbench.it.BadFiles.concat;
import static org.modelbench.it.BadFiles.idxHeader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid dataset larger than the heap: the run fails with one line that names the dataset, the
 * heap's maximum and how to raise it (exit 1, no stack trace, no bundle), not with a raw
 * {@code OutOfMemoryError}.
 */
class OutOfHeapTest {
    @TempDir
    Path dir;

    @Test
    void aDatasetLargerThanTheHeapFailsWithOneLine() throws Exception {
        // 20,000 images of 28x28: 15.7 MB of IDX bytes, 62.7 MB as float32, twice (train and test) over a 64 MB heap
        int n = 20_000;
        Files.write(dir.resolve("images.idx"), concat(idxHeader(n, 28, 28), new byte[n * 784]));
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        Files.write(dir.resolve("labels.idx"), concat(idxHeader(n), labels));
        Files.writeString(dir.resolve("heap.yaml"), """
                name: heap
                description: a dataset larger than the heap
                dataset:
                  files: {trainImages: images.idx, trainLabels: labels.idx, testImages: images.idx, testLabels: labels.idx}
                models:
                  - {id: lr, family: logreg}
                seeds: [1]
                outputs: {directory: runs}
                """, StandardCharsets.UTF_8);

        var r = ModelbenchProcess.runMeasured(dir, 120, "64m", "run", "heap.yaml").result();

        assertEquals(1, r.exitCode(), r::toString);
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), () -> "expected one line\n" + r);
        assertTrue(lines.get(0).startsWith("modelbench: failed: loading dataset 'images.idx': ran out of Java heap (maximum "),
                r::toString);
        assertTrue(lines.get(0).contains("MODELBENCH_JAVA_OPTS=-Xmx"), r::toString);
        assertFalse(r.err().contains("\tat ") || r.err().contains("OutOfMemoryError"), () -> "stack trace:\n" + r);
        assertFalse(Files.exists(dir.resolve("runs")), "nothing is written");
    }
}
