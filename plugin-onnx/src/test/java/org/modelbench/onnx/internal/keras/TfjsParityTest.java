package org.modelbench.onnx.internal.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.onnx.internal.NativeGraph;
import org.modelbench.onnx.internal.OnnxImporter;
import org.modelbench.onnx.internal.OnnxModelFile;
import org.modelbench.onnx.internal.OrtRunner;
import org.modelbench.onnx.internal.Value;

/**
 * nsfwjs's Keras MobileNetV2 and InceptionV3, read directly from their TensorFlow.js files, against
 * TensorFlow.js itself under Node ({@code scripts/tfjs-reference.js}) on the same fixed inputs, at the
 * include-top-false feature map and at the softmax: max|diff| / max|ref| <= 1e-4. And the same network
 * from its ONNX conversion, run by ONNX Runtime, gives the same predictions.
 *
 * <p>Needs node, {@code scripts/install-tfjs.sh} and {@code scripts/fetch-nsfwjs.sh}; without them
 * it prints a {@code skipped:} line, except with {@code CI=true}, where it fails.
 */
class TfjsParityTest {
    static final double TOLERANCE = 1e-4;

    @TempDir
    Path dir;

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("scripts")) ? here : here.getParent();
    }

    /** The model.json of nsfwjs's {@code model} in the data cache (present after scripts/fetch-nsfwjs.sh). */
    static Path nsfwjsModel(String model) {
        String data = System.getenv("MODELBENCH_DATA");
        Path cache = data != null ? Path.of(data) : Path.of(System.getProperty("user.home"), ".modelbench", "data");
        return cache.resolve("nsfwjs-4.4.0").resolve(model).resolve("model.json");
    }

    private static Path material(String model) {
        Path root = root();
        Path json = nsfwjsModel(model);
        List<String> missing = new ArrayList<>();
        if (!onPath("node")) {
            missing.add("node");
        }
        if (!Files.isDirectory(root.resolve("tools/tfjs/node_modules/@tensorflow/tfjs-layers"))) {
            missing.add("TensorFlow.js (scripts/install-tfjs.sh)");
        }
        if (!Files.isRegularFile(json)) {
            missing.add(json + " (scripts/fetch-nsfwjs.sh)");
        }
        if (!missing.isEmpty()) {
            String line = "skipped: TF.js parity of " + model + ": missing " + String.join(", ", missing);
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(line.replace("skipped: ", "") + " (required when CI=true)");
            }
            System.out.println(line);
            Assumptions.abort(line);
        }
        return json;
    }

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    private static float[] readF32(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    /** NCHW to NHWC. */
    private static float[] toNhwc(float[] x, int n, int c, int hw) {
        float[] y = new float[x.length];
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < hw; i++) {
                    y[(s * hw + i) * c + ch] = x[(s * c + ch) * hw + i];
                }
            }
        }
        return y;
    }

    private static double relativeError(float[] got, float[] ref) {
        double max = 0;
        double diff = 0;
        for (int i = 0; i < ref.length; i++) {
            max = Math.max(max, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs(got[i] - ref[i]));
        }
        return diff / max;
    }

    private void parity(String model, int samples, String featureLayer, String softmaxLayer) throws Exception {
        Path json = material(model);
        Path out = dir.resolve(model);
        Process p = new ProcessBuilder("node", root().resolve("scripts/tfjs-reference.js").toString(), json.toString(),
                out.toString(), String.valueOf(samples), featureLayer, softmaxLayer).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "tfjs-reference.js failed: " + log);
        JsonNode shapes = new ObjectMapper().readTree(out.resolve("shapes.json").toFile());
        int[] in = new ObjectMapper().convertValue(shapes.get("input"), int[].class);
        float[] x = readF32(out.resolve("input.f32"));

        OnnxModelFile onnx = OnnxModelFile.of(json, KerasToOnnx.convert(KerasModel.read(json)));
        NativeGraph graph = OnnxImporter.importModel(onnx);
        String feature = onnx.resolveCut(featureLayer);
        String softmax = onnx.resolveCut(softmaxLayer);
        Map<String, Value> got = graph.run(Map.of(graph.inputs().get(0).name(), Value.floats(in, x)),
                List.of(feature, softmax), 2);
        Value f = got.get(feature);
        float[] featureNhwc = toNhwc(f.floatData(), f.dim(0), f.dim(1), f.dim(2) * f.dim(3));
        double featureError = relativeError(featureNhwc, readF32(out.resolve(featureLayer + ".f32")));
        float[] probabilities = got.get(softmax).floatData();
        double softmaxError = relativeError(probabilities, readF32(out.resolve(softmaxLayer + ".f32")));
        System.out.printf(java.util.Locale.ROOT, "%s vs TensorFlow.js: %s %s %.2e, %s %.2e (max|diff| / max|ref|)%n",
                model, featureLayer, java.util.Arrays.toString(f.dims()), featureError, softmaxLayer, softmaxError);
        assertTrue(featureError <= TOLERANCE, model + " " + featureLayer + ": " + featureError);
        assertTrue(softmaxError <= TOLERANCE, model + " " + softmaxLayer + ": " + softmaxError);

        // the ONNX conversion, written and read back as a file, run by ONNX Runtime
        Path file = dir.resolve(model + ".onnx");
        Files.write(file, onnx.proto().toByteArray());
        try (OrtRunner ort = new OrtRunner(OnnxModelFile.load(file), 2)) {
            float[] viaOnnx = ort.run(Map.of(ort.inputNames().get(0), Value.floats(in, x)), List.of(softmax))
                    .get(softmax).floatData();
            double onnxError = relativeError(viaOnnx, probabilities);
            System.out.printf(java.util.Locale.ROOT, "%s: ONNX conversion on ONNX Runtime vs TF.js files natively: "
                    + "%.2e%n", model, onnxError);
            assertTrue(onnxError <= TOLERANCE, model + " ONNX conversion: " + onnxError);
            assertArrayEquals(argmax(probabilities, in[0]), argmax(viaOnnx, in[0]), "same predictions");
        }
    }

    private static int[] argmax(float[] p, int n) {
        int k = p.length / n;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 1; j < k; j++) {
                if (p[i * k + j] > p[i * k + a[i]]) {
                    a[i] = j;
                }
            }
        }
        return a;
    }

    @Test
    void mobileNetV2MatchesTensorFlowJs() throws Exception {
        parity("mobilenet_v2", 2, "out_relu", "dense_3");
    }

    @Test
    void inceptionV3MatchesTensorFlowJs() throws Exception {
        parity("inception_v3", 1, "mixed10", "dense_3");
    }
}
