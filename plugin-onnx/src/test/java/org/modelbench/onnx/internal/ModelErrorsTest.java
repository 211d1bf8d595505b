package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modelbench.onnx.internal.OnnxGraphBuilder.i;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.spi.ProviderCatalogue;

/** Bad models fail with one clear message naming the file and node, and exit code 2 on the command line. */
class ModelErrorsTest {
    @TempDir
    Path dir;

    private Path write(String name, ModelProto proto) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, proto.toByteArray());
        return p;
    }

    private static ModelProto small(String op, List<String> extraInputs) {
        OnnxGraphBuilder b = new OnnxGraphBuilder("g", 13);
        String x = b.input("x", -1, 4);
        java.util.List<String> inputs = new java.util.ArrayList<>(List.of(x));
        inputs.addAll(extraInputs);
        b.output(b.node(op, "the_node", inputs));
        return b.build("test");
    }

    /** Runs the command as the application would: an InvalidInputException is exit code 2. */
    static int cli(StringWriter text, String... args) {
        PrintWriter out = new PrintWriter(text);
        try {
            return OnnxCli.execute(List.of(args), out, out, ProviderCatalogue.discover());
        } catch (InvalidInputException e) {
            text.append(e.getMessage());
            return 2;
        } finally {
            out.flush();
        }
    }

    @Test
    void unsupportedOperatorNamesTheNodeAndInspectListsIt() throws Exception {
        Path file = write("erf.onnx", small("Erf", List.of()));
        var e = assertThrows(UnsupportedFeatureException.class,
                () -> OnnxImporter.importModel(OnnxModelFile.load(file)));
        assertTrue(e.getMessage().contains("erf.onnx") && e.getMessage().contains("the_node (Erf)"), e.getMessage());
        StringWriter text = new StringWriter();
        assertEquals(0, cli(text, "inspect", file.toString()));
        assertTrue(text.toString().contains("native import: NOT compatible"), text.toString());
        assertTrue(text.toString().contains("unsupported Erf: the_node"), text.toString());
        assertTrue(text.toString().contains("opset: 13"), text.toString());
        assertTrue(text.toString().contains("x: FLOAT [?, 4]"), text.toString());
    }

    @Test
    void inspectNamesUnsupportedAttributesOfSupportedOperators() throws Exception {
        OnnxGraphBuilder b = new OnnxGraphBuilder("g", 13);
        String x = b.input("x", 1, 1, 4, 4, 4);
        b.output(b.node("MaxPool", "pool3d", List.of(x), OnnxGraphBuilder.ints("kernel_shape", 2, 2, 2)));
        Path file = write("pool3d.onnx", b.build("test"));
        StringWriter text = new StringWriter();
        assertEquals(0, cli(text, "inspect", file.toString()));
        assertTrue(text.toString().contains("unsupported feature: node 'pool3d' (MaxPool): supports 1-D and 2-D"),
                text.toString());
    }

    @Test
    void malformedProtobufIsABadInput() throws Exception {
        Path file = dir.resolve("broken.onnx");
        byte[] bytes = small("Relu", List.of()).toByteArray();
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(InvalidInputException.class, () -> OnnxModelFile.load(file));
        assertTrue(e.getMessage().contains("broken.onnx") && e.getMessage().contains("malformed"), e.getMessage());
        Files.writeString(dir.resolve("text.onnx"), "not a model at all");
        StringWriter text = new StringWriter();
        assertEquals(2, cli(text, "inspect", dir.resolve("text.onnx").toString()), text.toString());
        assertTrue(text.toString().contains("text.onnx"), text.toString());
    }

    @Test
    void missingInitializerNamesTheNodeAndInput() throws Exception {
        Path file = write("nobias.onnx", small("Add", List.of("bias_that_is_missing")));
        var e = assertThrows(InvalidInputException.class, () -> OnnxImporter.importModel(OnnxModelFile.load(file)));
        assertTrue(e.getMessage().contains("nobias.onnx") && e.getMessage().contains("'the_node'")
                && e.getMessage().contains("bias_that_is_missing") && e.getMessage().contains("missing initializer"),
                e.getMessage());
    }

    @Test
    void externalDataOutsideTheModelFolderIsRefused() throws Exception {
        Path modelDir = Files.createDirectories(dir.resolve("model"));
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        OnnxGraphBuilder b = new OnnxGraphBuilder("g", 13);
        String x = b.input("x", 1, 4);
        b.output(b.node("Add", "add", List.of(x, "w")));
        ModelProto proto = b.build("test");
        TensorProto w = TensorProto.newBuilder().setName("w").addDims(4).setDataType(Value.FLOAT)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../secret.bin")).build();
        proto = proto.toBuilder().setGraph(proto.getGraph().toBuilder().addInitializer(w)).build();
        Path file = modelDir.resolve("escape.onnx");
        Files.write(file, proto.toByteArray());
        var e = assertThrows(InvalidInputException.class, () -> OnnxImporter.importModel(OnnxModelFile.load(file)));
        assertTrue(e.getMessage().contains("escape.onnx") && e.getMessage().contains("outside the model's folder")
                && e.getMessage().contains("'w'"), e.getMessage());
        // Inside the folder it loads.
        Files.write(modelDir.resolve("w.bin"), TensorProtos.toProto("w", Value.floats(new int[] {4},
                new float[] {1, 2, 3, 4})).getRawData().toByteArray());
        ModelProto inside = proto.toBuilder().setGraph(proto.getGraph().toBuilder().setInitializer(0, w.toBuilder()
                .setExternalData(0, StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")))).build();
        Path ok = modelDir.resolve("inside.onnx");
        Files.write(ok, inside.toByteArray());
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.load(ok));
        Value y = g.run(java.util.Map.of("x", Value.floats(new int[] {1, 4}, new float[4])), List.of(), 1)
                .values().iterator().next();
        assertEquals(4f, y.floatData()[3]);
    }

    @Test
    void wrongInputDimsNameTheInput() throws Exception {
        Path file = write("relu.onnx", small("Relu", List.of()));
        NativeGraph g = OnnxImporter.importModel(OnnxModelFile.load(file));
        var e = assertThrows(InvalidInputException.class, () -> g.run(java.util.Map.of("x",
                Value.floats(new int[] {2, 5}, new float[10])), List.of(), 1));
        assertTrue(e.getMessage().contains("relu.onnx") && e.getMessage().contains("input 'x'"), e.getMessage());
    }

    @Test
    void runWritesTensorProtoOutputsWithEitherEngine() throws Exception {
        OnnxGraphBuilder b = new OnnxGraphBuilder("g", 13);
        String x = b.input("x", -1, 3);
        String hidden = b.node("Relu", "hidden", List.of(x));
        b.output(b.node("Softmax", "probs", List.of(hidden), i("axis", 1)));
        Path file = write("softmax.onnx", b.build("test"));
        Path input = dir.resolve("input_0.pb");
        TensorProtos.write(input, "x", Value.floats(new int[] {2, 3}, new float[] {1, -2, 3, 0, 0, 5}));
        for (String engine : List.of("native", "ort")) {
            Path out = Files.createDirectories(dir.resolve("out-" + engine));
            StringWriter text = new StringWriter();
            assertEquals(0, cli(text, "run", file.toString(), "--input", input.toString(), "--engine", engine,
                    "--output-dir", out.toString()), text.toString());
            Value y = TensorProtos.read(out.resolve("output_0.pb"));
            assertEquals(1.0, y.floatData()[0] + y.floatData()[1] + y.floatData()[2], 1e-6);
            // relu([1, -2, 3]) = [1, 0, 3], then softmax
            assertEquals(1 / (Math.E + 1 + Math.exp(3)), y.floatData()[1], 1e-6);
            // Cut at a node: its output instead of the graph output.
            assertEquals(0, cli(text, "run", file.toString(), "--input", input.toString(), "--engine", engine,
                    "--output-dir", out.toString(), "--cut", "hidden"), text.toString());
            assertEquals(5f, TensorProtos.read(out.resolve("output_0.pb")).floatData()[5]);
        }
        StringWriter text = new StringWriter();
        assertEquals(2, cli(text, "run", file.toString(), "--input", input.toString(), "--cut", "nowhere"));
        assertTrue(text.toString().contains("'nowhere'"), text.toString());
    }
}
