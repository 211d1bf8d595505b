package org.modelbench.onnx.internal.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;
import org.modelbench.onnx.internal.NativeGraph;
import org.modelbench.onnx.internal.OnnxImporter;
import org.modelbench.onnx.internal.OnnxModelFile;
import org.modelbench.onnx.internal.OrtRunner;
import org.modelbench.onnx.internal.Value;

/** The TensorFlow.js layers import on small hand-checked models, and its answers to broken files. */
class KerasImportTest {
    @TempDir
    Path dir;

    /** Writes model.json and one shard for {@code layers} (Keras 2 functional format) and {@code weights}. */
    private Path write(String name, int[] inputHwc, List<Map<String, Object>> layers, List<Map<String, Object>> manifest,
                       byte[] shard) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        List<Map<String, Object>> all = new ArrayList<>();
        all.add(Map.of("name", "input_1", "class_name", "InputLayer", "config",
                Map.of("batch_input_shape", java.util.Arrays.asList(null, inputHwc[0], inputHwc[1], inputHwc[2])),
                "inbound_nodes", List.of()));
        all.addAll(layers);
        String last = (String) layers.get(layers.size() - 1).get("name");
        Map<String, Object> config = Map.of("name", name, "layers", all, "input_layers", List.of(List.of("input_1", 0, 0)),
                "output_layers", List.of(List.of(last, 0, 0)));
        Map<String, Object> root = Map.of("modelTopology", Map.of("model_config", Map.of("class_name", "Model",
                "config", config)), "weightsManifest", List.of(Map.of("paths", List.of("shard.bin"), "weights", manifest)));
        Files.write(folder.resolve("shard.bin"), shard);
        Path file = folder.resolve("model.json");
        new ObjectMapper().writeValue(file.toFile(), root);
        return file;
    }

    private static Map<String, Object> layer(String name, String cls, Map<String, Object> config, String... inputs) {
        List<List<Object>> in = new ArrayList<>();
        for (String i : inputs) {
            in.add(List.of(i, 0, 0, Map.of()));
        }
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.put("name", name);
        return Map.of("name", name, "class_name", cls, "config", c, "inbound_nodes", List.of(in));
    }

    private static Map<String, Object> weight(String name, List<Integer> shape, Map<String, Object> quantization) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", name);
        w.put("shape", shape);
        w.put("dtype", "float32");
        if (quantization != null) {
            w.put("quantization", quantization);
        }
        return w;
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    private static float[] runNative(Path file, float[] nhwc, int... dims) {
        OnnxModelFile m = OnnxModelFile.of(file, KerasToOnnx.convert(KerasModel.read(file)));
        NativeGraph g = OnnxImporter.importModel(m);
        return g.run(Map.of(g.inputs().get(0).name(), Value.floats(dims, nhwc)), List.of(), 1)
                .get(g.outputs().get(0)).floatData();
    }

    @Test
    void sameConvolutionPadsAtTheEndAsTensorFlowAndFlattenKeepsKerasOrder() throws Exception {
        // 4x4x1 image, 3x3 kernel of ones, stride 2, padding same: TensorFlow pads 0 before and 1 after
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1f);
        float[] dense = {1, 10, 100, 1000};
        byte[] shard = ByteBuffer.allocate((9 + 4) * 4).put(floats(ones)).put(floats(dense)).array();
        Path file = write("same", new int[] {4, 4, 1}, List.of(
                layer("conv", "Conv2D", Map.of("filters", 1, "kernel_size", List.of(3, 3), "strides", List.of(2, 2),
                        "padding", "same", "use_bias", false, "activation", "linear"), "input_1"),
                layer("flat", "Flatten", Map.of(), "conv"),
                layer("out", "Dense", Map.of("units", 1, "use_bias", false, "activation", "linear"), "flat")),
                List.of(weight("conv/kernel", List.of(3, 3, 1, 1), null), weight("out/kernel", List.of(4, 1), null)), shard);
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i; // row-major 4x4
        }
        // windows: rows 0-2 / cols 0-2, rows 0-2 / cols 2-3, rows 2-3 / cols 0-2, rows 2-3 / cols 2-3
        float c00 = 0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10;
        float c01 = 2 + 3 + 6 + 7 + 10 + 11;
        float c10 = 8 + 9 + 10 + 12 + 13 + 14;
        float c11 = 10 + 11 + 14 + 15;
        float[] y = runNative(file, x, 1, 4, 4, 1);
        assertEquals(c00 + 10 * c01 + 100 * c10 + 1000 * c11, y[0], 1e-2);
        // the same through ONNX Runtime
        OnnxModelFile m = OnnxModelFile.of(file, KerasToOnnx.convert(KerasModel.read(file)));
        try (OrtRunner ort = new OrtRunner(m, 1)) {
            float[] o = ort.run(Map.of(ort.inputNames().get(0), Value.floats(new int[] {1, 4, 4, 1}, x)), List.of())
                    .values().iterator().next().floatData();
            assertEquals(y[0], o[0], 1e-2);
        }
    }

    @Test
    void uint8WeightsAreDequantizedWithScaleAndMinAndCutPointsAreLayerNames() throws Exception {
        // Dense 2 -> 2 with kernel codes 0, 1, 2, 3 (scale 0.5, min -1: -1, -0.5, 0, 0.5), bias float32
        byte[] shard = ByteBuffer.allocate(4 + 8).put(new byte[] {0, 1, 2, 3}).put(floats(0.25f, -0.25f)).array();
        Path file = write("quant", new int[] {1, 1, 2}, List.of(
                layer("flat", "Flatten", Map.of(), "input_1"),
                layer("dense", "Dense", Map.of("units", 2, "activation", "relu"), "flat"),
                layer("drop", "Dropout", Map.of("rate", 0.5), "dense")),
                List.of(weight("dense/kernel", List.of(2, 2), Map.of("dtype", "uint8", "scale", 0.5, "min", -1.0)),
                        weight("dense/bias", List.of(2), null)), shard);
        float[] y = runNative(file, new float[] {2, 3}, 1, 1, 1, 2);
        // [2, 3] x [[-1, -0.5], [0, 0.5]] + [0.25, -0.25] = [-1.75, 0.25] -> relu
        assertEquals(0f, y[0], 1e-6);
        assertEquals(0.25f, y[1], 1e-6);
        OnnxModelFile m = OnnxModelFile.of(file, KerasToOnnx.convert(KerasModel.read(file)));
        assertEquals("dense:0", m.resolveCut("dense"));
        StringWriter out = new StringWriter();
        assertEquals(0, KerasCli.execute(List.of("inspect", file.toString()), new PrintWriter(out), new PrintWriter(out)));
        assertTrue(out.toString().contains("dense") && out.toString().contains("verdict: compatible"), out.toString());
    }

    @Test
    void brokenFilesAreOneLineErrorsNamingFileAndField() throws Exception {
        List<Map<String, Object>> layers = List.of(layer("flat", "Flatten", Map.of(), "input_1"),
                layer("dense", "Dense", Map.of("units", 2), "flat"));
        // a shard shorter than the manifest says
        Path shortShard = write("short", new int[] {1, 1, 2}, layers, List.of(weight("dense/kernel", List.of(2, 2), null),
                weight("dense/bias", List.of(2), null)), floats(1, 2, 3));
        var e = assertThrows(InvalidInputException.class, () -> KerasModel.read(shortShard));
        assertTrue(e.getMessage().contains("model.json") && e.getMessage().contains("weightsManifest[0].paths")
                && e.getMessage().contains("12 bytes"), e.getMessage());
        // a shape that claims more values than any array holds: refused before allocating
        Path huge = write("huge", new int[] {1, 1, 2}, layers, List.of(weight("dense/kernel",
                List.of(1 << 20, 1 << 20), null)), floats(1));
        e = assertThrows(InvalidInputException.class, () -> KerasModel.read(huge));
        assertTrue(e.getMessage().contains("weights[0].shape"), e.getMessage());
        // an unsupported layer is listed by inspect (exit 2) and refused by the conversion
        Path lstm = write("lstm", new int[] {1, 1, 2}, List.of(layer("flat", "Flatten", Map.of(), "input_1"),
                layer("rnn", "LSTM", Map.of("units", 2), "flat")), List.of(), new byte[0]);
        StringWriter out = new StringWriter();
        assertEquals(2, KerasCli.execute(List.of("inspect", lstm.toString()), new PrintWriter(out), new PrintWriter(out)));
        assertTrue(out.toString().contains("NOT compatible") && out.toString().contains("rnn (layer class LSTM"),
                out.toString());
        e = assertThrows(InvalidInputException.class, () -> KerasToOnnx.convert(KerasModel.read(lstm)));
        assertTrue(e.getMessage().contains("rnn (layer class LSTM is not supported)"), e.getMessage());
        // a weight with the wrong shape names the layer
        Path wrong = write("wrong", new int[] {1, 1, 2}, layers, List.of(weight("dense/kernel", List.of(3, 2), null),
                weight("dense/bias", List.of(2), null)), new byte[32]);
        e = assertThrows(InvalidInputException.class, () -> KerasToOnnx.convert(KerasModel.read(wrong)));
        assertTrue(e.getMessage().contains("layer dense (Dense)") && e.getMessage().contains("[3, 2]"), e.getMessage());
        // a shard outside the model's folder
        Path escape = write("escape", new int[] {1, 1, 2}, layers, List.of(), new byte[0]);
        String json = Files.readString(escape).replace("\"shard.bin\"", "\"../short/shard.bin\"");
        Files.writeString(escape, json);
        e = assertThrows(InvalidInputException.class, () -> KerasModel.read(escape));
        assertTrue(e.getMessage().contains("is not a file in"), e.getMessage());
    }
}
