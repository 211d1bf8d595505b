package org.modelbench.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.config.CsvConfig;

/**
 * A measurement, not a test (run by {@code scripts/measure-csv-load.sh}): loading MNIST's 60,000 x 784
 * training images as CSV against the same data as IDX, in time and in the smallest heap each load
 * succeeds in.
 *
 * <ul>
 *   <li>{@code prepare DIR}: writes {@code DIR/train.csv} (a {@code label} column, then {@code p0..p783})
 *       and {@code DIR/test.csv} (10 rows), and copies the two IDX files;</li>
 *   <li>{@code time DIR}: loads each format 5 times in this JVM, prints the best times and their ratio;</li>
 *   <li>{@code idx DIR} / {@code csv DIR}: one load (for the heap search of the script).</li>
 * </ul>
 */
public final class CsvLoadMeasurement {
    private CsvLoadMeasurement() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "prepare" -> prepare(dir);
            case "idx" -> System.out.println("rows " + idx(dir).size());
            case "csv" -> System.out.println("rows " + csv(dir).size());
            case "time" -> time(dir);
            default -> throw new IllegalArgumentException("expected prepare, time, idx or csv");
        }
    }

    private static void prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        DatasetSplits mnist = new MnistProvider().load(DataCache.defaultDirectory(), line -> { });
        write(dir.resolve("train.csv"), mnist.train());
        write(dir.resolve("test.csv"), mnist.test().slice(0, 10));
        Path cache = DataCache.defaultDirectory().resolve("mnist");
        Files.copy(cache.resolve(IdxDatasetProvider.TRAIN_IMAGES), dir.resolve("train-images"));
        Files.copy(cache.resolve(IdxDatasetProvider.TRAIN_LABELS), dir.resolve("train-labels"));
        System.out.println("train.csv: " + Files.size(dir.resolve("train.csv")) + " bytes");
    }

    private static void write(Path file, Dataset d) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder header = new StringBuilder("label");
            for (int i = 0; i < 784; i++) {
                header.append(",p").append(i);
            }
            out.write(header.append('\n').toString());
            float[] x = d.features().data();
            StringBuilder row = new StringBuilder();
            for (int r = 0; r < d.size(); r++) {
                row.setLength(0);
                row.append(d.labels()[r]);
                for (int i = 0; i < 784; i++) {
                    row.append(',').append((int) x[r * 784 + i]);
                }
                out.write(row.append('\n').toString());
            }
        }
    }

    /** The IDX pair as a run loads it: read, and both files hashed for lock.json (as the CSV load hashes its files). */
    static Dataset idx(Path dir) {
        DataCache.sha256(dir.resolve("train-images"));
        DataCache.sha256(dir.resolve("train-labels"));
        return IdxDatasetProvider.readPair("idx", dir.resolve("train-images"), dir.resolve("train-labels"),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), Map.of());
    }

    static Dataset csv(Path dir) {
        CsvConfig config = new CsvConfig("train.csv", "test.csv", null, null, null, "label",
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), null, null, null, null, ",");
        return new CsvDatasetProvider().load(new DatasetRequest(config, dir, dir, null)).train();
    }

    private static void time(Path dir) {
        List<Double> idx = new ArrayList<>();
        List<Double> csv = new ArrayList<>();
        List<Double> idxCpu = new ArrayList<>();
        List<Double> csvCpu = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            Dataset a = idx(dir);
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            Dataset b = csv(dir);
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            idxCpu.add((c1 - c0) / 1e9);
            csvCpu.add((c2 - c1) / 1e9);
            if (!java.util.Arrays.equals(a.features().data(), b.features().data())
                    || !java.util.Arrays.equals(a.labels(), b.labels())) {
                throw new IllegalStateException("CSV and IDX loads differ");
            }
            idx.add((t1 - t0) / 1e9);
            csv.add((t2 - t1) / 1e9);
        }
        double bestIdx = idx.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double bestCsv = csv.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        System.out.printf("idx load: best %.3f s of %s%n", bestIdx, idx);
        System.out.printf("csv load: best %.3f s of %s%n", bestCsv, csv);
        System.out.printf("ratio csv / idx: %.2f wall (identical tensors and labels)%n", bestCsv / bestIdx);
        double cpuIdx = idxCpu.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double cpuCsv = csvCpu.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        System.out.printf("process cpu: idx best %.3f s, csv best %.3f s, ratio %.2f (CPU time of this JVM, garbage "
                + "collection included: less sensitive to other load on the machine)%n", cpuIdx, cpuCsv, cpuCsv / cpuIdx);
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }
}
