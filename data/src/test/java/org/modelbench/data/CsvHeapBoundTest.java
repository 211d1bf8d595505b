package org.modelbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.CsvConfig;

/**
 * The memory bound of issue 13: a 60,000 x 784 CSV table of MNIST-like pixels (mostly zeros, else
 * 1..255) loads in a child JVM whose whole heap is the float tensor plus 2 bytes per CSV byte (serial
 * collector), and not in one with only a tenth of that margin, so the bound is what limits it.
 */
class CsvHeapBoundTest {
    private static final int ROWS = 60_000;
    private static final int COLUMNS = 784;

    @TempDir
    Path dir;

    @Test
    void sixtyThousandRowsLoadInTheTensorPlusTwoBytesPerCsvByte() throws Exception {
        write(dir.resolve("train.csv"), ROWS, 1);
        write(dir.resolve("test.csv"), 10, 2);
        long csvBytes = Files.size(dir.resolve("train.csv"));
        long tensor = 4L * ROWS * COLUMNS;
        assertTrue(csvBytes > 100_000_000L, "about MNIST's 110 MB of CSV: " + csvBytes);
        Child bound = child(tensor + 2 * csvBytes);
        assertEquals(0, bound.exit(), "loads with the tensor + 2 B/CSV byte as heap:\n" + bound.output());
        assertTrue(bound.output().contains("rows 60000 width 784"), bound.output());
        Child tight = child(tensor + csvBytes / 5);
        assertTrue(tight.exit() != 0, "a heap of the tensor + 0.2 B/CSV byte is too small (or the bound says nothing):\n"
                + tight.output());
    }

    private record Child(int exit, String output) {
    }

    private Child child(long heapBytes) throws IOException, InterruptedException {
        String classPath = System.getProperty("java.class.path");
        String modulePath = System.getProperty("jdk.module.path");
        String path = modulePath == null || modulePath.isBlank() ? classPath : modulePath + java.io.File.pathSeparator
                + classPath;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapBytes / 1024 + "k", "-XX:+UseSerialGC", "-cp", path, CsvHeapBoundTest.class.getName(),
                dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Child(-1, "timed out: " + out);
        }
        return new Child(p.exitValue(), out);
    }

    /** The child: loads the two tables through the csv format. */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        CsvConfig config = new CsvConfig("train.csv", "test.csv", null, null, null, "label", null, null, null, null,
                null, ",");
        Dataset train = new CsvDatasetProvider().load(new DatasetRequest(config, dir, dir, null)).train();
        System.out.println("rows " + train.size() + " width " + train.sampleShape().dim(0));
    }

    private static void write(Path file, int rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder("label");
            for (int i = 0; i < COLUMNS; i++) {
                line.append(",p").append(i);
            }
            w.write(line.append('\n').toString());
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(random.nextInt(10));
                for (int i = 0; i < COLUMNS; i++) {
                    line.append(',').append(random.nextInt(5) == 0 ? 1 + random.nextInt(255) : 0);
                }
                w.write(line.append('\n').toString());
            }
        }
    }
}
