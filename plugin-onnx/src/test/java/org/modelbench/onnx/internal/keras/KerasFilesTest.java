package org.modelbench.onnx.internal.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;
import org.modelbench.onnx.internal.BaseModelFiles;
import org.modelbench.onnx.internal.NativeGraph;
import org.modelbench.onnx.internal.OnnxImporter;
import org.modelbench.onnx.internal.OnnxModelFile;
import org.modelbench.onnx.internal.Value;
import org.modelbench.testkit.OptionalMaterial;

/**
 * Keras 3 {@code .keras} and legacy {@code .h5} files against the TensorFlow.js import of the same
 * network: the files are written by {@code scripts/write-keras-files.py} (h5py + numpy, no Keras) from
 * the same weights, so all three must give the same graph and the same predictions. A small
 * Conv2D / BatchNormalization / DepthwiseConv2D / SeparableConv2D / Dense model covers the formats
 * and every broken file; nsfwjs's MobileNetV2 (when fetched) covers a real network at the no-top
 * feature map and the softmax. Needs Debian's python3-h5py (scripts/install-test-deps.sh): without
 * it the tests print a {@code skipped:} line, with {@code CI=true} they fail.
 */
class KerasFilesTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    static Path dir;

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("scripts")) ? here : here.getParent();
    }

    static void writeKerasFiles(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), root().resolve("scripts/write-keras-files.py")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "write-keras-files.py failed: " + log);
    }

    static boolean h5pyPresent() throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import h5py, numpy").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
    }

    @BeforeAll
    static void material() throws Exception {
        OptionalMaterial.require(h5pyPresent(), "Keras .keras/.h5 files: /usr/bin/python3 with h5py and numpy missing "
                + "(apt-get install python3-h5py)");
        writeKerasFiles("tiny", dir.toString());
    }

    private static float[] run(ModelProto proto, Path file, float[] nhwc, int... dims) {
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.of(file, proto));
        return g.run(Map.of(g.inputs().get(0).name(), Value.floats(dims, nhwc)), List.of(), 1)
                .get(g.outputs().get(0)).floatData();
    }

    private static float[] input(int n, int seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void kerasAndH5HoldTheSameWeightsAndGiveTheSamePredictionsAsTfjs() {
        KerasModel tfjs = KerasModel.read(dir.resolve("tiny.json"));
        KerasModel keras = KerasModel.read(dir.resolve("tiny.keras"));
        KerasModel h5 = KerasModel.read(dir.resolve("tiny.h5"));
        assertEquals(KerasModel.Format.KERAS3, KerasModel.formatOf(dir.resolve("tiny.keras")));
        assertEquals(KerasModel.Format.LEGACY_H5, KerasModel.formatOf(dir.resolve("tiny.h5")));
        assertEquals(14, tfjs.weights().size());
        for (KerasModel other : List.of(keras, h5)) {
            assertEquals(tfjs.weights().keySet(), other.weights().keySet(), other.file().toString());
            tfjs.weights().forEach((name, w) -> {
                assertArrayEquals(w.shape(), other.weights().get(name).shape(), name);
                assertArrayEquals(w.data(), other.weights().get(name).data(), name);
            });
            assertEquals(tfjs.layers().stream().map(KerasLayer::name).toList(),
                    other.layers().stream().map(KerasLayer::name).toList());
            assertArrayEquals(tfjs.inputShape(), other.inputShape());
        }
        float[] x = input(4 * 8 * 8 * 2, 7);
        float[] want = run(KerasToOnnx.convert(tfjs), tfjs.file(), x, 4, 8, 8, 2);
        assertEquals(12, want.length);
        for (int s = 0; s < 4; s++) {
            assertEquals(1.0, want[3 * s] + want[3 * s + 1] + want[3 * s + 2], 1e-5, "softmax rows");
        }
        assertArrayEquals(want, run(KerasToOnnx.convert(keras), keras.file(), x, 4, 8, 8, 2));
        assertArrayEquals(want, run(KerasToOnnx.convert(h5), h5.file(), x, 4, 8, 8, 2));
    }

    @Test
    void familiesReadKerasAndH5BasesAsTheSameOnnxGraph() {
        // onnx-transfer and onnx take file: through BaseModelFiles, which recognises the format by content
        ModelProto want = BaseModelFiles.load(dir.resolve("tiny.json")).proto();
        assertEquals(want, BaseModelFiles.load(dir.resolve("tiny.keras")).proto());
        assertEquals(want, BaseModelFiles.load(dir.resolve("tiny.h5")).proto());
        // and the manifest check (run --check) accepts them without reading their weights
        BaseModelFiles.check(dir.resolve("tiny.keras").toString());
        BaseModelFiles.check(dir.resolve("tiny.h5").toString());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> BaseModelFiles.check(dir.resolve("absent.keras").toString()));
        assertTrue(e.getMessage().contains("absent.keras: no such file"), e.getMessage());
    }

    @Test
    void inspectAndConvertAcceptKerasAndH5() throws Exception {
        for (String name : List.of("tiny.keras", "tiny.h5")) {
            StringWriter out = new StringWriter();
            Path file = dir.resolve(name);
            assertEquals(0, KerasCli.execute(List.of("inspect", file.toString()), new PrintWriter(out),
                    new PrintWriter(out)), out.toString());
            assertTrue(out.toString().contains("sep ") && out.toString().contains("SeparableConv2D")
                    && out.toString().contains("verdict: compatible"), out.toString());
            Path onnx = dir.resolve(name + ".onnx");
            assertEquals(0, KerasCli.execute(List.of("convert", file.toString(), "--output", onnx.toString()),
                    new PrintWriter(out), new PrintWriter(out)), out.toString());
            assertTrue(Files.size(onnx) > 1000);
        }
    }

    private static String error(Path file) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> KerasToOnnx.convert(KerasModel.read(file)), file.toString());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void brokenFilesAreOneLineErrorsNamingFileAndLayerOrWeight() throws Exception {
        // a kernel of the wrong shape
        String m = error(dir.resolve("tiny-shape.h5"));
        assertTrue(m.contains("layer dense (Dense)") && m.contains("[23, 5]") && m.contains("[24, units]"), m);
        // inspect checks the weights too, with the same error
        assertThrows(InvalidInputException.class, () -> KerasCli.execute(List.of("inspect",
                dir.resolve("tiny-shape.h5").toString()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        // a weight left out of model.weights.h5
        m = error(dir.resolve("tiny-missing.keras"));
        assertTrue(m.contains("layer sep (SeparableConv2D)") && m.contains("layers/separable_conv2d/vars holds 2")
                && m.contains("expects 3 [depthwise_kernel, pointwise_kernel, bias]"), m);
        // config and weights disagree: use_bias false but a bias stored
        m = error(dir.resolve("tiny-nobias.keras"));
        assertTrue(m.contains("layer dense (Dense)") && m.contains("expects 1 [kernel]"), m);
        // a dataset header claiming 2^40 values the file does not hold: refused before reading
        m = error(dir.resolve("tiny-huge.h5"));
        assertTrue(m.contains("model_weights/dense/dense/kernel:0") && m.contains("[1048576, 1048576]")
                && m.contains("claims more than"), m);
        // a 1 GiB contiguous dataset that was never written: refused before it is read
        m = error(dir.resolve("tiny-big.h5"));
        assertTrue(m.contains("model_weights/dense/dense/kernel:0") && m.contains("needs 1073741824 bytes"), m);
        // truncated files
        for (String name : List.of("tiny.h5", "tiny.keras")) {
            byte[] whole = Files.readAllBytes(dir.resolve(name));
            for (int keep : new int[] {whole.length / 2, whole.length - 100, 600}) {
                Path cut = dir.resolve("cut-" + keep + "-" + name);
                Files.write(cut, Arrays.copyOf(whole, keep));
                String e = error(cut);
                assertTrue(e.contains("truncated") || e.contains("not a readable zip"), e);
            }
        }
        // not the format its name says
        Path text = dir.resolve("text.keras");
        Files.writeString(text, "hello");
        assertTrue(error(text).contains("not a zip (.keras) file"));
    }

    @Test
    void zipEntriesAreBoundedBeforeTheyAreInflated() throws Exception {
        // config.json of 65 MiB of spaces compresses to about 64 KiB: refused by its declared size
        Path bomb = dir.resolve("bomb.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(bomb))) {
            z.putNextEntry(new ZipEntry("config.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 65; i++) {
                z.write(spaces);
            }
            z.closeEntry();
            z.putNextEntry(new ZipEntry("model.weights.h5"));
            z.write(Files.readAllBytes(dir.resolve("tiny.h5")));
            z.closeEntry();
        }
        String m = error(bomb);
        assertTrue(m.contains("config.json: declares 68157440 bytes uncompressed; expected at most 67108864"), m);
        // a .keras without its weights
        Path noWeights = dir.resolve("noweights.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noWeights))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write("{}".getBytes());
            z.closeEntry();
        }
        assertTrue(error(noWeights).contains("model.weights.h5: missing"));
    }

    /** nsfwjs's MobileNetV2 written as .keras and .h5 gives the TF.js import's predictions. */
    @Test
    void mobileNetV2FromKerasAndH5MatchesItsTfjsImport() throws Exception {
        Path json = TfjsParityTest.nsfwjsModel("mobilenet_v2");
        OptionalMaterial.require(Files.isRegularFile(json), "MobileNetV2 .keras/.h5 check: " + json
                + " missing (scripts/fetch-nsfwjs.sh)");
        writeKerasFiles("from-tfjs", json.toString(), dir.toString(), "mobilenet_v2");
        float[] x = input(2 * 224 * 224 * 3, 11);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(-1f, Math.min(1f, x[i] * 0.5f)); // MobileNetV2 inputs are in [-1, 1]
        }
        Map<String, Value> want = null;
        for (String name : List.of("model.json", "mobilenet_v2.keras", "mobilenet_v2.h5")) {
            Path file = name.equals("model.json") ? json : dir.resolve(name);
            OnnxModelFile onnx = OnnxModelFile.of(file, KerasToOnnx.convert(KerasModel.read(file)));
            NativeGraph g = OnnxImporter.importModel(onnx);
            String feature = onnx.resolveCut("out_relu");
            String softmax = onnx.resolveCut("dense_3");
            Map<String, Value> got = g.run(Map.of(g.inputs().get(0).name(), Value.floats(new int[] {2, 224, 224, 3}, x)),
                    List.of(feature, softmax), 2);
            if (want == null) {
                want = Map.of("feature", got.get(feature), "softmax", got.get(softmax));
                assertArrayEquals(new int[] {2, 1280, 7, 7}, got.get(feature).dims());
                continue;
            }
            double f = maxDiff(want.get("feature").floatData(), got.get(feature).floatData());
            double s = maxDiff(want.get("softmax").floatData(), got.get(softmax).floatData());
            System.out.printf(java.util.Locale.ROOT, "MobileNetV2 %s vs model.json: out_relu max|diff| %.1e, "
                    + "dense_3 %.1e%n", name, f, s);
            assertTrue(f <= 1e-6 && s <= 1e-6, name + ": " + f + " / " + s);
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
