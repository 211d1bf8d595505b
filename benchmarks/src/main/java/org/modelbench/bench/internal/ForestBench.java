package org.modelbench.bench.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Model;
import org.modelbench.api.Printable;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.data.IdxArray;
import org.modelbench.data.IdxReader;

/**
 * {@code modelbench bench forest}: the {@code tribuo-random-forest} family against scikit-learn's
 * {@code RandomForestClassifier} on the same MNIST rows, back to back in one run.
 *
 * <p>Each contender runs in a child process, so that each peak RSS (VmHWM, resp. {@code ru_maxrss})
 * is its own: the plugin in a child JVM on this JVM's module path with a fixed heap
 * ({@code --heap}, default {@value #DEFAULT_HEAP}), found by its family id through
 * {@link ServiceLoader} and configured through its config record like a manifest entry; then
 * scikit-learn through {@code sklearn_forest.py} (shipped in this jar) with the same trees,
 * feature fraction, depth, seed and thread count. Both fit the first {@code --train-rows} training
 * rows (raw pixels 0..255) and score the whole test split. The report gives fit seconds, test
 * accuracy, peak RSS, their ratios and the machine's load average before and after.
 */
public final class ForestBench {
    static final String SCRIPT = "sklearn_forest.py";
    static final String DEFAULT_HEAP = "-Xmx768m";
    private static final String USAGE = """
            Usage: modelbench bench forest [options]
              Fits tribuo-random-forest and scikit-learn's RandomForestClassifier (when /usr/bin/python3
              has scikit-learn) on the same MNIST rows, one after the other, each in a child process,
              and prints fit time, test accuracy and peak RSS of each and their ratios.
              --train-rows N        training rows, the first N of the training split (default 60000)
              --trees T             trees (default 100)
              --feature-fraction F  fraction of the features tried at each split (default 0.1)
              --max-depth D         maximum depth, 0 = unlimited (default 0)
              --splitter S          histogram (default) or exact (Tribuo's CART)
              --threads N           threads for both (default 2)
              --seed S              seed (default 1)
              --heap OPT            the plugin child's heap option (default -Xmx768m)
              --mnist DIR           directory with the MNIST IDX files (default: the data cache's mnist/)
              --python PATH         the Python with scikit-learn (default /usr/bin/python3)
              --no-sklearn          skip scikit-learn
              --json                print one JSON object instead of the report
            Exit codes: 0 done, 1 a contender failed, 2 bad options.
            """;

    private ForestBench() {
    }

    /** Parsed options. */
    record Options(int trainRows, int trees, double featureFraction, int maxDepth, String splitter, int threads,
                   long seed, String heap, Path mnist, Path python, boolean sklearn, boolean json) {
    }

    /** Runs {@code bench forest} with the arguments after {@code forest}. */
    public static int execute(List<String> args, PrintWriter out, PrintWriter err) {
        Options o;
        try {
            o = parse(args);
        } catch (InvalidInputException e) {
            err.println("modelbench: error: bench forest: " + e.getMessage()
                    + " (see 'modelbench bench forest --help')");
            err.flush();
            return 2;
        }
        if (o == null) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        PrintWriter log = o.json() ? err : out;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("train_rows", o.trainRows());
        result.put("trees", o.trees());
        result.put("feature_fraction", o.featureFraction());
        result.put("max_depth", o.maxDepth());
        result.put("splitter", o.splitter());
        result.put("threads", o.threads());
        result.put("seed", o.seed());
        result.put("load_before", loadAverage());
        log.printf("forest bench: %,d training rows, %d trees, featureFraction %s, maxDepth %s, %d threads, seed %d;"
                        + " load average %s%n", o.trainRows(), o.trees(), o.featureFraction(),
                o.maxDepth() == 0 ? "unlimited" : o.maxDepth(), o.threads(), o.seed(), result.get("load_before"));
        log.flush();
        Map<String, Object> plugin = runPlugin(o);
        result.put("plugin", plugin);
        log.println("  plugin: " + plugin);
        log.flush();
        Map<String, Object> sklearn = o.sklearn() ? runSklearn(o) : Map.of("skipped", "--no-sklearn");
        result.put("sklearn", sklearn);
        result.put("load_after", loadAverage());
        if (plugin.containsKey("fit_seconds") && sklearn.containsKey("fit_seconds")) {
            result.put("fit_ratio", number(plugin, "fit_seconds") / number(sklearn, "fit_seconds"));
            result.put("rss_ratio", number(plugin, "peak_rss_kib") / number(sklearn, "peak_rss_kib"));
            result.put("accuracy_points", 100 * (number(plugin, "accuracy") - number(sklearn, "accuracy")));
        }
        if (o.json()) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            report(result, out);
        }
        out.flush();
        return plugin.containsKey("failed") ? 1 : 0;
    }

    private static void report(Map<String, Object> r, PrintWriter out) {
        out.println();
        out.printf("%-44s %9s %9s %13s%n", "", "fit s", "accuracy", "peak RSS MiB");
        row(out, "tribuo-random-forest (" + r.get("splitter") + ")", cast(r.get("plugin")));
        @SuppressWarnings("unchecked")
        Map<String, Object> sk = (Map<String, Object>) r.get("sklearn");
        row(out, "scikit-learn " + sk.getOrDefault("sklearn_version", "") + " RandomForestClassifier", sk);
        if (r.containsKey("fit_ratio")) {
            out.printf(Locale.ROOT, "plugin / scikit-learn: fit time %.2fx, peak RSS %.2fx, accuracy %+.2f points%n",
                    (double) r.get("fit_ratio"), (double) r.get("rss_ratio"), (double) r.get("accuracy_points"));
        }
        out.printf("load average before %s, after %s (2-core figures on a shared machine are loaded)%n",
                r.get("load_before"), r.get("load_after"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    private static void row(PrintWriter out, String name, Map<String, Object> m) {
        if (!m.containsKey("fit_seconds")) {
            out.printf("%-44s %s%n", name, m.getOrDefault("skipped", m.getOrDefault("failed", "?")));
            return;
        }
        out.printf(Locale.ROOT, "%-44s %9.1f %9.4f %13.0f%n", name, number(m, "fit_seconds"), number(m, "accuracy"),
                number(m, "peak_rss_kib") / 1024);
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    static Options parse(List<String> args) {
        int trainRows = 60_000;
        int trees = 100;
        double fraction = 0.1;
        int maxDepth = 0;
        String splitter = "histogram";
        int threads = 2;
        long seed = 1;
        String heap = DEFAULT_HEAP;
        Path mnist = null;
        Path python = Path.of("/usr/bin/python3");
        boolean sklearn = true;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            try {
                switch (a) {
                    case "-h", "--help" -> {
                        return null;
                    }
                    case "--train-rows" -> trainRows = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--trees" -> trees = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--feature-fraction" -> fraction = Double.parseDouble(value(args, ++i, a));
                    case "--max-depth" -> maxDepth = Integer.parseInt(value(args, ++i, a));
                    case "--splitter" -> splitter = value(args, ++i, a);
                    case "--threads" -> threads = positive(a, Integer.parseInt(value(args, ++i, a)));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--heap" -> heap = value(args, ++i, a);
                    case "--mnist" -> mnist = Path.of(value(args, ++i, a));
                    case "--python" -> python = Path.of(value(args, ++i, a));
                    case "--no-sklearn" -> sklearn = false;
                    case "--json" -> json = true;
                    default -> throw new InvalidInputException("unknown option '" + a + "'");
                }
            } catch (NumberFormatException e) {
                throw new InvalidInputException(a + ": expected a number, got '" + Printable.of(args.get(i)) + "'");
            }
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidInputException("--feature-fraction: expected a number in (0, 1], got " + fraction);
        }
        if (maxDepth < 0) {
            throw new InvalidInputException("--max-depth: expected an integer >= 0, got " + maxDepth);
        }
        if (!splitter.equals("histogram") && !splitter.equals("exact")) {
            throw new InvalidInputException("--splitter: expected histogram or exact, got '" + splitter + "'");
        }
        if (!heap.startsWith("-Xmx")) {
            throw new InvalidInputException("--heap: expected a -Xmx option such as -Xmx1g, got '" + heap + "'");
        }
        if (mnist == null) {
            String dir = System.getenv("MODELBENCH_DATA");
            Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                    : Path.of(System.getProperty("user.home"), ".modelbench", "data");
            mnist = base.resolve("mnist");
        }
        for (String file : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            if (!Files.isRegularFile(mnist.resolve(file))) {
                throw new InvalidInputException("--mnist: " + mnist.resolve(file) + " not found (run"
                        + " `modelbench data fetch mnist` or pass the directory with the IDX files)");
            }
        }
        return new Options(trainRows, trees, fraction, maxDepth, splitter, threads, seed, heap, mnist, python,
                sklearn, json);
    }

    private static int positive(String option, int v) {
        if (v < 1) {
            throw new InvalidInputException(option + ": expected an integer >= 1, got " + v);
        }
        return v;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new InvalidInputException(option + " needs a value");
        }
        return args.get(i);
    }

    /** The plugin in a child JVM (or in this JVM when it was not started from a module path, as in tests). */
    private static Map<String, Object> runPlugin(Options o) {
        List<String> childArgs = List.of(o.mnist().toString(), Integer.toString(o.trainRows()),
                Integer.toString(o.trees()), Double.toString(o.featureFraction()), Integer.toString(o.maxDepth()),
                o.splitter(), Integer.toString(o.threads()), Long.toString(o.seed()));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath == null || modulePath.isBlank()) {
            Map<String, Object> m = fitPlugin(childArgs);
            m.put("note", "measured in the bench's own JVM (no module path to start a child from)");
            return m;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                o.heap(), "--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
                "-m", "org.modelbench.bench/" + ForestBench.class.getName()));
        cmd.addAll(childArgs);
        try {
            ChildProcess r = exec(cmd, o.threads(), 7200);
            if (r.exitCode() != 0) {
                return new LinkedHashMap<>(Map.of("failed", "the plugin child exited with " + r.exitCode() + ": "
                        + r.lastLine()));
            }
            return json(r.lastLine());
        } catch (IOException e) {
            return new LinkedHashMap<>(Map.of("failed", "could not start the plugin child: " + e.getMessage()));
        }
    }

    /** Child entry point: {@code MNIST_DIR ROWS TREES FRACTION DEPTH SPLITTER THREADS SEED}; prints one JSON line. */
    public static void main(String[] args) throws IOException {
        System.out.println(new ObjectMapper().writeValueAsString(fitPlugin(List.of(args))));
    }

    private static Map<String, Object> fitPlugin(List<String> a) {
        Path mnist = Path.of(a.get(0));
        int rows = Integer.parseInt(a.get(1));
        Dataset train = mnist(mnist, "train", rows);
        Dataset test = mnist(mnist, "t10k", Integer.MAX_VALUE);
        ModelFamilyProvider<?> provider = ServiceLoader.load(ModelFamilyProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.id().equals("tribuo-random-forest")).findFirst()
                .orElseThrow(() -> new IllegalStateException("tribuo-random-forest is not on the module path"));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("trees", Integer.parseInt(a.get(2)));
        params.put("featureFraction", Double.parseDouble(a.get(3)));
        params.put("maxDepth", Integer.parseInt(a.get(4)));
        params.put("splitter", a.get(5));
        int threads = Integer.parseInt(a.get(6));
        long seed = Long.parseLong(a.get(7));
        long t0 = System.nanoTime();
        Model model = train(provider, params, train, new RunContext(seed, threads, List.of(),
                Path.of(System.getProperty("java.io.tmpdir"))));
        double fit = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        double accuracy = Evaluation.of(model, test, 2048).accuracy();
        double predict = (System.nanoTime() - t1) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fit_seconds", fit);
        m.put("predict_seconds", predict);
        m.put("accuracy", accuracy);
        m.put("nodes", model.parameterCount());
        m.put("peak_rss_kib", peakRssKib());
        m.put("heap_max_mib", Runtime.getRuntime().maxMemory() >> 20);
        return m;
    }

    private static <C extends Record> Model train(ModelFamilyProvider<C> provider, Map<String, Object> params,
                                                  Dataset train, RunContext context) {
        C config = RecordBinder.bind(params, provider.configType(), "bench forest");
        return provider.trainer(config, ProviderContext.empty()).train(train, Optional.empty(), context);
    }

    /** The first {@code rows} rows of an MNIST split ({@code train} or {@code t10k}), raw pixels 0..255. */
    private static Dataset mnist(Path dir, String split, int rows) {
        IdxArray images = IdxReader.read(dir.resolve(split + "-images-idx3-ubyte"), 3);
        int[] labels = IdxReader.read(dir.resolve(split + "-labels-idx1-ubyte"), 1).toLabels();
        var x = images.toImageTensor();
        int n = Math.min(rows, labels.length);
        List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Dataset all = new Dataset("mnist-" + split, x, labels, classes, Map.of());
        return n == labels.length ? all : all.slice(0, n);
    }

    private static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static Map<String, Object> runSklearn(Options o) {
        if (!Files.isExecutable(o.python())) {
            return Map.of("skipped", o.python() + " not found");
        }
        try {
            if (exec(List.of(o.python().toString(), "-c", "import sklearn"), o.threads(), 120).exitCode() != 0) {
                return Map.of("skipped", "scikit-learn is not installed for " + o.python());
            }
            Path script = Files.createTempFile("modelbench-", "-" + SCRIPT);
            try {
                try (InputStream in = ForestBench.class.getResourceAsStream(SCRIPT)) {
                    if (in == null) {
                        return Map.of("skipped", SCRIPT + " missing from the benchmarks jar");
                    }
                    Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
                }
                ChildProcess r = exec(List.of(o.python().toString(), script.toString(), "--mnist", o.mnist().toString(),
                        "--train-rows", Integer.toString(o.trainRows()), "--trees", Integer.toString(o.trees()),
                        "--feature-fraction", Double.toString(o.featureFraction()),
                        "--max-depth", Integer.toString(o.maxDepth()), "--threads", Integer.toString(o.threads()),
                        "--seed", Long.toString(o.seed())), o.threads(), 7200);
                if (r.exitCode() != 0) {
                    return Map.of("failed", "the scikit-learn script exited with " + r.exitCode() + ": " + r.lastLine());
                }
                return json(r.lastLine());
            } finally {
                Files.deleteIfExists(script);
            }
        } catch (IOException e) {
            return Map.of("skipped", "could not run " + o.python() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> json(String line) throws IOException {
        JsonNode node = new ObjectMapper().readTree(line);
        Map<String, Object> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue()
                : e.getValue().asText()));
        return m;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Runs a contender with the BLAS/OpenMP thread variables set to {@code threads}. */
    private static ChildProcess exec(List<String> cmd, int threads, long timeoutSeconds) throws IOException {
        String t = Integer.toString(threads);
        try {
            return ChildProcess.run(cmd, Map.of("OMP_NUM_THREADS", t, "MKL_NUM_THREADS", t, "OPENBLAS_NUM_THREADS", t),
                    timeoutSeconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ChildProcess(-1, "interrupted");
        }
    }
}
