package org.modelbench.bench.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.modelbench.api.Dataset;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Printable;
import org.modelbench.api.spi.DatasetRequest;
import org.modelbench.data.CsvDatasetProvider;
import org.modelbench.data.DataCache;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;
import org.modelbench.data.config.CsvConfig;

/**
 * {@code modelbench bench data [--mnist DIR] [--work DIR] [--rounds R]}: loading MNIST's 60,000 x 784
 * training images as CSV against the same data as IDX, both as a run loads them (the files hashed
 * for {@code lock.json}, the tensor built), in alternating rounds of the same JVM; then the CSV load
 * in a child JVM whose heap is the bound of issue 13 (the tensor plus 2 bytes per CSV byte, serial
 * collector), reporting the heap pools' peak use above the tensor per CSV byte.
 */
final class DataBench {
    private static final String USAGE = """
            Usage: modelbench bench data [--mnist DIR] [--work DIR] [--rounds R]
              Writes MNIST's training set as CSV (a label column, then p0..p783; 10 test rows in a second
              file) and loads it against the same data as IDX, alternating, R rounds (default 5), in this
              JVM: best and median wall time, this JVM's CPU time, and their CSV/IDX ratios. Then loads
              the CSV in a child JVM with -Xmx = tensor + 2 bytes per CSV byte (serial collector) and
              prints the heap's peak use above the tensor per CSV byte.
              --mnist DIR   the MNIST IDX files (default: the data cache's mnist/)
              --work DIR    where the CSV files go (default: a temporary folder, deleted afterwards)
              --rounds R    rounds of each load (default 5)
            """;
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private DataBench() {
    }

    static int execute(List<String> args, PrintWriter out, PrintWriter err) {
        Path mnist = DataCache.defaultDirectory().resolve("mnist");
        Path work = null;
        int rounds = 5;
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--mnist" -> mnist = Path.of(value(args, ++i, "--mnist"));
                    case "--work" -> work = Path.of(value(args, ++i, "--work"));
                    case "--rounds" -> rounds = rounds(value(args, ++i, "--rounds"));
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        out.flush();
                        return 0;
                    }
                    default -> throw new InvalidInputException("unknown option '" + args.get(i) + "' (bench data --help)");
                }
            }
            for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
                if (!Files.isRegularFile(mnist.resolve(f))) {
                    throw new InvalidInputException("--mnist: " + mnist.resolve(f) + " not found (run"
                            + " `modelbench data fetch mnist` or pass the directory with the IDX files)");
                }
            }
        } catch (InvalidInputException e) {
            err.println("modelbench: error: " + e.getMessage());
            err.flush();
            return 2;
        }
        boolean temporary = work == null;
        try {
            Path dir = temporary ? Files.createTempDirectory("modelbench-bench-data") : Files.createDirectories(work);
            try {
                run(mnist, dir, rounds, out);
            } finally {
                if (temporary) {
                    delete(dir);
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("modelbench: error: cannot write or read the CSV files: " + e);
            err.flush();
            return 1;
        }
    }

    private static int rounds(String text) {
        try {
            int r = Integer.parseInt(text);
            if (r >= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidInputException("--rounds: expected an integer >= 1, got '" + Printable.of(text) + "'");
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new InvalidInputException(option + " needs a value");
        }
        return args.get(i);
    }

    private static void run(Path mnist, Path dir, int rounds, PrintWriter out) throws IOException {
        Dataset idx = idx(mnist);
        Path csv = dir.resolve("train.csv");
        if (!Files.isRegularFile(csv)) {
            write(csv, idx, idx.size());
            write(dir.resolve("test.csv"), idx, 10);
        }
        long csvBytes = Files.size(csv);
        long tensorBytes = 4L * idx.features().data().length;
        out.printf(Locale.ROOT, "train.csv: %d bytes (%d rows x %d columns); tensor %d bytes; load %s%n", csvBytes,
                idx.size(), idx.features().data().length / idx.size(), tensorBytes, load());
        idx = null;
        double[][] wall = new double[2][rounds];
        double[][] cpu = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int f = 0; f < 2; f++) {
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                Dataset d = f == 0 ? idx(mnist) : csv(dir);
                wall[f][r] = (System.nanoTime() - t0) / 1e9;
                cpu[f][r] = (cpuNanos() - c0) / 1e9;
                if (d.size() != 60_000) {
                    throw new IllegalStateException("expected 60000 rows, got " + d.size());
                }
            }
        }
        if (!Arrays.equals(idx(mnist).features().data(), csv(dir).features().data())) {
            throw new IllegalStateException("the CSV and IDX loads differ");
        }
        out.printf(Locale.ROOT, "%-5s %12s %12s %12s%n", "", "best wall s", "median wall", "best cpu s");
        String[] names = {"idx", "csv"};
        for (int f = 0; f < 2; f++) {
            out.printf(Locale.ROOT, "%-5s %12.3f %12.3f %12.3f%n", names[f], min(wall[f]), median(wall[f]), min(cpu[f]));
        }
        out.printf(Locale.ROOT, "ratio csv/idx: best wall %.2f, median wall %.2f, best cpu %.2f (target: <= 3; "
                        + "identical tensors)%n", min(wall[1]) / min(wall[0]), median(wall[1]) / median(wall[0]),
                min(cpu[1]) / min(cpu[0]));
        heap(dir, csvBytes, tensorBytes, out);
        out.println("load after: " + load());
        out.flush();
    }

    /** The CSV load in a child JVM with the bound as its heap (skipped without a module path, as in tests). */
    private static void heap(Path dir, long csvBytes, long tensorBytes, PrintWriter out) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            out.println("heap: skipped: no module path to start a child JVM from");
            return;
        }
        long bound = tensorBytes + 2 * csvBytes;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + bound / 1024 + "k", "-XX:+UseSerialGC", "--module-path", modulePath,
                "--add-modules", "ALL-MODULE-PATH", "-m", "org.modelbench.bench/" + DataBench.class.getName(),
                dir.toString()));
        try {
            ChildProcess r = ChildProcess.run(cmd, java.util.Map.of(), 600);
            if (r.exitCode() != 0) {
                out.println("heap: the CSV load FAILED with -Xmx" + bound / 1024 + "k: " + r.lastLine());
                return;
            }
            long peak = Long.parseLong(r.lastLine().trim());
            out.printf(Locale.ROOT, "heap: loads with -Xmx = tensor + 2 B per CSV byte (%d MiB); peak heap use %d "
                    + "MiB, above the tensor %.2f bytes per CSV byte (target: <= 2)%n", bound >> 20, peak >> 20,
                    (peak - tensorBytes) / (double) csvBytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("heap: interrupted");
        }
    }

    /** The child: loads the CSV of folder {@code args[0]} and prints the heap pools' summed peak use. */
    public static void main(String[] args) {
        Dataset d = csv(Path.of(args[0]));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        if (d.size() != 60_000) {
            throw new IllegalStateException("expected 60000 rows");
        }
        System.out.println(peak);
    }

    /** The IDX pair as a run loads it: both files hashed for lock.json, then read into the tensor. */
    private static Dataset idx(Path mnist) {
        Path images = mnist.resolve("train-images-idx3-ubyte");
        Path labels = mnist.resolve("train-labels-idx1-ubyte");
        DataCache.sha256(images);
        DataCache.sha256(labels);
        IdxArray x = IdxReader.read(images, 3);
        IdxArray y = IdxReader.read(labels, 1);
        return new Dataset("idx", x.toImageTensor(), y.toLabels(), DIGITS, java.util.Map.of());
    }

    /** The CSV pair through the csv format, as a manifest's dataset would load it. */
    private static Dataset csv(Path dir) {
        CsvConfig config = new CsvConfig("train.csv", "test.csv", null, null, null, "label", DIGITS, null, null, null,
                null, ",");
        return new CsvDatasetProvider().load(new DatasetRequest(config, dir, dir, null)).train();
    }

    private static void write(Path file, Dataset d, int rows) throws IOException {
        int width = d.features().data().length / d.size();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder("label");
            for (int i = 0; i < width; i++) {
                line.append(",p").append(i);
            }
            w.write(line.append('\n').toString());
            float[] x = d.features().data();
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(d.labels()[r]);
                for (int i = 0; i < width; i++) {
                    line.append(',').append((int) x[r * width + i]);
                }
                w.write(line.append('\n').toString());
            }
        }
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary folder left behind
        }
    }
}
