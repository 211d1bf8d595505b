package org.modelbench.onnx.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.modelbench.api.InvalidInputException;

/**
 * Runs test folders laid out as ONNX's own tests ({@code model.onnx} and
 * {@code test_data_set_N/input_K.pb}, {@code output_K.pb}) through the native import and through
 * ONNX Runtime, comparing each output with the expected one.
 */
public final class Conformance {

    /** The outcome for one output of one data set. */
    public record Row(String test, String dataSet, String output, String nativeResult, double nativeError,
                      String ortResult, double ortError) {
        public boolean nativePass() {
            return "ok".equals(nativeResult) && nativeError <= Parity.TOLERANCE;
        }

        public boolean ortPass() {
            return "ok".equals(ortResult) && ortError <= Parity.TOLERANCE;
        }

        /** Whether the native import was attempted (all operators supported). */
        public boolean supported() {
            return !nativeResult.startsWith("unsupported");
        }
    }

    /** Totals over a run. */
    public record Summary(int tests, int supportedTests, int nativePassedTests, int ortPassedTests) {
    }

    /** Element types the native interpreter reads and writes (no BFLOAT16, STRING, complex). */
    private static final java.util.Set<Integer> SUPPORTED_TYPES = java.util.Set.of(1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13);

    private Conformance() {
    }

    /** The test folders under {@code root} (itself if it holds a model.onnx), sorted. */
    public static List<Path> testFolders(Path root) {
        if (!Files.isDirectory(root)) {
            throw new InvalidInputException(root + ": not a folder");
        }
        if (Files.isRegularFile(root.resolve("model.onnx"))) {
            return List.of(root);
        }
        try (Stream<Path> s = Files.walk(root, 3)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new InvalidInputException(root + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Runs one test folder. */
    public static List<Row> run(Path folder, boolean useOrt) {
        String test = folder.getFileName().toString();
        OnnxModelFile model;
        try {
            model = OnnxModelFile.load(folder.resolve("model.onnx"));
        } catch (RuntimeException e) {
            return List.of(new Row(test, "-", "-", "error: " + e.getMessage(), Double.NaN, "-", Double.NaN));
        }
        List<String> unsupported = new java.util.ArrayList<>(model.graph().getNodeList().stream()
                .filter(n -> !Kernels.supports(n)).map(OnnxModelFile::operatorName).distinct().toList());
        boolean tensorsOnly = java.util.stream.Stream.concat(model.graph().getInputList().stream(),
                model.graph().getOutputList().stream()).allMatch(v -> v.getType().hasTensorType()
                && SUPPORTED_TYPES.contains(v.getType().getTensorType().getElemType()));
        if (!tensorsOnly) {
            unsupported.add("non-tensor or unsupported element types in inputs or outputs");
        }
        NativeGraph graph = null;
        String importError = null;
        if (!unsupported.isEmpty()) {
            importError = "unsupported: " + String.join(",", unsupported);
        } else {
            try {
                graph = OnnxImporter.importModel(model);
            } catch (UnsupportedFeatureException e) {
                importError = "unsupported: " + firstLine(e.getMessage());
            } catch (RuntimeException e) {
                importError = "error: " + firstLine(e.getMessage());
            }
        }
        OrtRunner ort = null;
        String ortError = null;
        if (useOrt) {
            try {
                ort = new OrtRunner(model, 1);
            } catch (RuntimeException e) {
                ortError = "error: " + firstLine(e.getMessage());
            }
        }
        List<Row> rows = new ArrayList<>();
        try {
            List<Path> sets;
            try (Stream<Path> s = Files.list(folder)) {
                sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
            } catch (IOException e) {
                throw new InvalidInputException(folder + ": cannot list: " + e.getMessage(), e);
            }
            List<OnnxModelFile.Port> inputs = model.inputs();
            List<OnnxModelFile.Port> outputs = model.outputs();
            for (Path set : sets) {
                Map<String, Value> feeds = new LinkedHashMap<>();
                Map<String, Value> expected = new LinkedHashMap<>();
                try {
                    for (int k = 0; k < inputs.size(); k++) {
                        Path f = set.resolve("input_" + k + ".pb");
                        if (Files.exists(f)) {
                            feeds.put(inputs.get(k).name(), TensorProtos.read(f));
                        }
                    }
                    for (int k = 0; k < outputs.size(); k++) {
                        Path f = set.resolve("output_" + k + ".pb");
                        if (Files.exists(f)) {
                            expected.put(outputs.get(k).name(), TensorProtos.read(f));
                        }
                    }
                } catch (RuntimeException e) {
                    String kind = e instanceof UnsupportedFeatureException || !tensorsOnly ? "unsupported: " : "error: ";
                    rows.add(new Row(test, set.getFileName().toString(), "-", kind + firstLine(e.getMessage()),
                            Double.NaN, "-", Double.NaN));
                    continue;
                }
                Map<String, Value> nativeOut = null;
                String nativeError = importError;
                if (graph != null) {
                    try {
                        nativeOut = graph.run(feeds, expected.keySet(), 1);
                    } catch (UnsupportedFeatureException e) {
                        nativeError = "unsupported: " + firstLine(e.getMessage());
                    } catch (RuntimeException e) {
                        nativeError = "error: " + firstLine(e.getMessage());
                    }
                }
                Map<String, Value> ortOut = null;
                String ortRunError = ortError;
                if (ort != null) {
                    try {
                        ortOut = ort.run(feeds, expected.keySet());
                    } catch (RuntimeException e) {
                        ortRunError = "error: " + firstLine(e.getMessage());
                    }
                }
                for (Map.Entry<String, Value> e : expected.entrySet()) {
                    double ne = nativeOut == null ? Double.NaN : Parity.relativeError(nativeOut.get(e.getKey()), e.getValue());
                    double oe = ortOut == null ? Double.NaN : Parity.relativeError(ortOut.get(e.getKey()), e.getValue());
                    rows.add(new Row(test, set.getFileName().toString(), e.getKey(),
                            nativeOut == null ? nativeError : "ok", ne,
                            !useOrt ? "-" : ortOut == null ? ortRunError : "ok", oe));
                }
            }
        } finally {
            if (ort != null) {
                ort.close();
            }
        }
        return rows;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Runs every test folder under {@code root}, printing a table; returns the totals. */
    public static Summary runAll(Path root, boolean useOrt, PrintWriter out) {
        List<Path> folders = testFolders(root);
        if (folders.isEmpty()) {
            throw new InvalidInputException(root + ": no test folders (model.onnx + test_data_set_*) found");
        }
        out.printf("%-48s %-16s %-12s %-12s %s%n", "test", "output", "native", "ort", "note");
        int supported = 0;
        int nativePassed = 0;
        int ortPassed = 0;
        for (Path folder : folders) {
            List<Row> rows = run(folder, useOrt);
            boolean allSupported = rows.stream().allMatch(Row::supported);
            boolean nativeOk = !rows.isEmpty() && rows.stream().allMatch(Row::nativePass);
            boolean ortOk = !rows.isEmpty() && rows.stream().allMatch(Row::ortPass);
            supported += allSupported ? 1 : 0;
            nativePassed += nativeOk ? 1 : 0;
            ortPassed += ortOk ? 1 : 0;
            for (Row r : rows) {
                String note = "ok".equals(r.nativeResult()) ? "" : r.nativeResult();
                if (!"ok".equals(r.ortResult()) && !"-".equals(r.ortResult())) {
                    note += (note.isEmpty() ? "" : "; ") + "ort " + r.ortResult();
                }
                out.printf("%-48s %-16s %-12s %-12s %s%n", r.test(), truncate(r.output(), 16),
                        verdict("ok".equals(r.nativeResult()), r.nativeError()),
                        useOrt ? verdict("ok".equals(r.ortResult()), r.ortError()) : "-", truncate(note, 120));
            }
        }
        out.printf("%d tests: %d with all operators supported; native import passed %d of those %d; "
                        + "ONNX Runtime passed %s of all %d (tolerance max|diff|/max|ref| <= %.0e)%n",
                folders.size(), supported, nativePassed, supported, useOrt ? String.valueOf(ortPassed) : "-",
                folders.size(), Parity.TOLERANCE);
        return new Summary(folders.size(), supported, nativePassed, ortPassed);
    }

    private static String verdict(boolean ran, double error) {
        if (!ran) {
            return "skip";
        }
        return (error <= Parity.TOLERANCE ? "pass " : "FAIL ") + String.format("%.1e", error);
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
