package org.modelbench.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.modelbench.it.BadFiles.concat;
import static org.modelbench.it.BadFiles.engineModel;
import static org.modelbench.it.BadFiles.gzip;
import static org.modelbench.it.BadFiles.idxHeader;
import static org.modelbench.it.BadFiles.onnxAddModel;
import static org.modelbench.it.BadFiles.onnxInput;
import static org.modelbench.it.BadFiles.onnxTensor;
import static org.modelbench.it.BadFiles.tribuoModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input table: hostile and careless inputs to every command, each with its exact exit code
 * and a fragment of its one-line message. Every case runs the real application in a child JVM with
 * {@code -Xmx768m}; the "tiny file" cases (a few bytes declaring gigabytes) must also stay below
 * {@value #MAX_RSS_MIB} MiB of peak resident memory, measured with GNU time (VmHWM).
 */
class BadInputTest {
    static final long MAX_RSS_MIB = 300;
    static final String HEAP = "768m";

    @TempDir
    static Path work;

    /** Creates the case's files in the work folder and returns the command line. */
    interface Setup {
        String[] args(Path dir) throws Exception;
    }

    /**
     * One row of the table.
     *
     * @param exitCode the exact exit code
     * @param fragment a fragment of the error line (of stdout for exit 0)
     * @param tiny     a few bytes that declare a huge size: peak RSS is checked
     */
    record Case(String name, Setup setup, int exitCode, String fragment, boolean tiny) {
    }

    private static Case bad(String name, String fragment, Setup setup) {
        return new Case(name, setup, 2, fragment, false);
    }

    private static Case tiny(String name, String fragment, Setup setup) {
        return new Case(name, setup, 2, fragment, true);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] args(Object... parts) {
        return Stream.of(parts).map(String::valueOf).toArray(String[]::new);
    }

    /** A manifest over IDX files in {@code dir} with one {@code model} entry (YAML flow map). */
    private static String manifest(String files, String model) {
        return """
                name: bad
                description: a bad-input case
                dataset:
                  files: {%s}
                models:
                  - %s
                seeds: [1]
                outputs: {directory: runs}
                """.formatted(files, model);
    }

    /** Small valid IDX image and label files in {@code dir}: 20 images of 28x28, labels 0..9. */
    private static String idxFiles(Path dir) throws Exception {
        write(dir, "images.idx", concat(idxHeader(20, 28, 28), new byte[20 * 784]));
        byte[] labels = new byte[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = (byte) (i % 10);
        }
        write(dir, "labels.idx", concat(idxHeader(20), labels));
        return "trainImages: images.idx, trainLabels: labels.idx, testImages: images.idx, testLabels: labels.idx";
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // --- the six tiny files of the issue
        c.add(tiny("124-byte .onnx whose initializer declares 40000x40000 without data",
                "tensor 'w' declares 1600000000+ elements", d -> {
                    Path m = write(d, "big.onnx", onnxAddModel(onnxTensor("w", 40000, 40000), "add", 1));
                    return args("onnx", "run", m, "--input", write(d, "x.pb", onnxInput(1)), "--output-dir", d);
                }));
        c.add(tiny("classes=2000000000 in a Tribuo model's properties", "classes: 2000000000 is out of range",
                d -> args("model", "summary", tribuoModel(d.resolve("forest"), "classes=2000000000\nclass.0=a\n", null))));
        c.add(tiny("architecture.json with a dense layer of 10^6 units", "the layers declare 785000000 parameters",
                d -> args("model", "summary", engineModel(d.resolve("wide"), 1_000_000, 10, 10))));
        c.add(tiny("architecture.json with a dense layer of 10^6 units, through predict",
                "the layers declare 785000000 parameters", d -> {
                    Path model = engineModel(d.resolve("wide"), 1_000_000, 10, 10);
                    return args("predict", "--model", model, "--input", write(d, "one.png", BadFiles.png(28, 28)));
                }));
        c.add(tiny("1 KB gzipped IDX declaring 2 GB", "inflates to at most", d -> args("data", "inspect",
                write(d, "big.idx.gz", gzip(concat(idxHeader(100000, 141, 141), new byte[1000]))))));
        c.add(tiny("~100-byte PNG declaring 40000x40000", "the header declares 40000x40000 pixels", d -> {
            Path model = engineModel(d.resolve("ok"), 10, 10, 10);
            return args("predict", "--model", model, "--input", write(d, "big.png", BadFiles.png(40000, 40000)));
        }));
        c.add(tiny("0.5 MB tribuo-model.pb.gz inflating to a 512 MB class name",
                "field class_name: a string of 536870912 bytes", d -> {
                    byte[] prefix = {0x08, 0x00, 0x12, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x02};
                    byte[] model = BadFiles.gzipRepeated(prefix, 1L << 29, (byte) 'A', new byte[0]);
                    return args("model", "summary", tribuoModel(d.resolve("huge-name"), "classes=1\nclass.0=a\n", model));
                }));
        // --- ONNX
        c.add(bad("initializer declaring 10000x10000 floats with none present", "declares 100000000 elements but holds 0",
                d -> args("onnx", "run", write(d, "nodata.onnx", onnxAddModel(onnxTensor("w", 10000, 10000), "a", 1)),
                        "--input", write(d, "x.pb", onnxInput(1)), "--output-dir", d)));
        c.add(bad("raw data shorter than the dims", "needs 400 bytes of raw data, got 4", d -> args("onnx", "run",
                write(d, "short.onnx", onnxAddModel(onnxTensor("w", 100).bytes(9, new byte[4]), "a", 100)),
                "--input", write(d, "x.pb", onnxInput(100)), "--output-dir", d)));
        c.add(bad("external data outside the model's folder", "outside the model's folder", d -> {
            BadFiles.Proto w = onnxTensor("w", 1).message(13, new BadFiles.Proto().string(1, "location")
                    .string(2, "../../../../etc/passwd")).integer(14, 1);
            return args("onnx", "run", write(d, "onnx-ext/m.onnx", onnxAddModel(w, "a", 1)), "--input",
                    write(d, "x.pb", onnxInput(1)), "--output-dir", d);
        }));
        c.add(bad("external data file shorter than the tensor", "needs 4000 bytes from offset 0 but the file has 10", d -> {
            write(d, "onnx-short/w.bin", new byte[10]);
            BadFiles.Proto w = onnxTensor("w", 1000).message(13, new BadFiles.Proto().string(1, "location")
                    .string(2, "w.bin")).integer(14, 1);
            return args("onnx", "run", write(d, "onnx-short/m.onnx", onnxAddModel(w, "a", 1000)), "--input",
                    write(d, "x.pb", onnxInput(1000)), "--output-dir", d);
        }));
        c.add(new Case("a model with external data in its own folder runs under --engine ort", d -> {
            java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putFloat(1).putFloat(2);
            write(d, "onnx-ok/w.bin", w.array());
            BadFiles.Proto t = onnxTensor("w", 2).message(13, new BadFiles.Proto().string(1, "location")
                    .string(2, "w.bin")).integer(14, 1);
            return args("onnx", "run", write(d, "onnx-ok/m.onnx", onnxAddModel(t, "a", 2)), "--input",
                    write(d, "x2.pb", onnxInput(2)), "--engine", "ort", "--output-dir", d);
        }, 0, "output_0.pb  y [2]", false));
        c.add(bad("/etc/passwd as an ONNX model", "not a valid ONNX model", d -> args("onnx", "inspect", "/etc/passwd")));
        c.add(bad("an empty .onnx file", "not a valid ONNX model", d -> args("onnx", "inspect", write(d, "empty.onnx", ""))));
        c.add(bad("a missing .onnx file", "nope.onnx: no such file", d -> args("onnx", "inspect", d.resolve("nope.onnx"))));
        c.add(bad("/etc/passwd as an ONNX input tensor", "not a serialized ONNX TensorProto", d -> args("onnx", "run",
                write(d, "ok.onnx", onnxAddModel(onnxTensor("w", 1).bytes(9, new byte[4]), "a", 1)), "--input",
                "/etc/passwd", "--output-dir", d)));
        c.add(bad("onnx run with an unknown engine", "--engine: expected native or ort, got gpu", d -> args("onnx", "run",
                write(d, "ok.onnx", onnxAddModel(onnxTensor("w", 1).bytes(9, new byte[4]), "a", 1)), "--input",
                write(d, "x.pb", onnxInput(1)), "--engine", "gpu", "--output-dir", d)));
        c.add(bad("onnx run without --input", "Missing required option: '--input", d -> args("onnx", "run", "m.onnx")));
        c.add(new Case("a node name with a terminal escape sequence is printed escaped", d -> args("onnx", "inspect",
                "--nodes", write(d, "esc.onnx", onnxAddModel(onnxTensor("w", 1).bytes(9, new byte[4]),
                        "evil\u001b[2J\u001b[31mred", 1))), 0, "evil\\u001b[2J\\u001b[31mred", false));
        // --- IDX
        c.add(bad("an empty IDX file", "empty file; expected an IDX header", d -> args("data", "inspect",
                write(d, "empty.idx", new byte[0]))));
        c.add(bad("/etc/passwd as IDX", "bad magic number", d -> args("data", "inspect", "/etc/passwd")));
        c.add(bad("IDX of float elements", "element type 0x0D is not supported", d -> args("data", "inspect",
                write(d, "float.idx", new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}))));
        c.add(bad("IDX of rank 0", "rank 0 out of range", d -> args("data", "inspect",
                write(d, "rank0.idx", new byte[] {0, 0, 8, 0}))));
        c.add(bad("IDX with a zero dimension", "dimension 0 is 0", d -> args("data", "inspect",
                write(d, "zero.idx", idxHeader(0, 28)))));
        c.add(bad("IDX declaring more values than one array holds", "more than one array can hold",
                d -> args("data", "inspect", write(d, "huge.idx", idxHeader(65536, 65536)))));
        c.add(bad("truncated IDX", "truncated: the header declares 10x28x28", d -> args("data", "inspect",
                write(d, "short.idx", concat(idxHeader(10, 28, 28), new byte[100])))));
        c.add(bad("IDX with trailing bytes", "has trailing bytes", d -> args("data", "inspect",
                write(d, "long.idx", concat(idxHeader(2), new byte[5])))));
        c.add(bad("truncated header", "truncated: expected 3 dimension sizes", d -> args("data", "inspect",
                write(d, "header.idx", new byte[] {0, 0, 8, 3, 0, 0}))));
        c.add(bad("gzip IDX whose stream is truncated", "gzip stream ends early", d -> {
            byte[] gz = gzip(concat(idxHeader(10, 28, 28), new byte[7840]));
            return args("data", "inspect", write(d, "cut.idx.gz", java.util.Arrays.copyOf(gz, gz.length / 2)));
        }));
        c.add(bad("gzip IDX holding fewer values than declared", "found only 10", d -> args("data", "inspect",
                write(d, "few.idx.gz", gzip(concat(idxHeader(4, 2, 2), new byte[10]))))));
        c.add(bad("corrupt gzip IDX", "not a valid gzip stream", d -> args("data", "inspect",
                write(d, "corrupt.idx.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6}))));
        c.add(bad("a missing IDX file", "no such file", d -> args("data", "inspect", d.resolve("nope.idx"))));
        // --- engine saved models
        c.add(bad("a folder that is not a saved model", "modelbench-model.properties is missing",
                d -> args("model", "summary", Files.createDirectories(d.resolve("not-a-model")))));
        c.add(bad("architecture.json that is not JSON", "architecture.json: not valid JSON", d -> {
            Path m = engineModel(d.resolve("nojson"), 10, 10, 10);
            Files.writeString(m.resolve("architecture.json"), "{\"format\": ");
            return args("model", "summary", m);
        }));
        c.add(bad("architecture.json missing", "architecture.json: missing", d -> {
            Path m = engineModel(d.resolve("noarch"), 10, 10, 10);
            Files.delete(m.resolve("architecture.json"));
            return args("model", "summary", m);
        }));
        c.add(bad("architecture.json of a newer format version", "unknown format version 99", d -> {
            Path m = engineModel(d.resolve("newer"), 10, 10, 10);
            Files.writeString(m.resolve("architecture.json"), Files.readString(m.resolve("architecture.json"))
                    .replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
            return args("model", "summary", m);
        }));
        c.add(bad("architecture.json with an unknown layer type", "unknown layer type", d -> {
            Path m = engineModel(d.resolve("unknown-layer"), 10, 10, 10);
            Files.writeString(m.resolve("architecture.json"), Files.readString(m.resolve("architecture.json"))
                    .replace("\"type\": \"dense\"", "\"type\": \"warp-drive\""));
            return args("model", "summary", m);
        }));
        c.add(bad("truncated weights file", "weights.safetensors at byte 100: expected 31560 bytes, found 100", d -> {
            Path m = engineModel(d.resolve("truncated"), 10, 10, 10);
            Files.write(m.resolve("weights.safetensors"), java.util.Arrays.copyOf(
                    Files.readAllBytes(m.resolve("weights.safetensors")), 100));
            return args("model", "summary", m);
        }));
        c.add(bad("a flipped byte in the weights", "SHA-256 does not match", d -> {
            Path m = engineModel(d.resolve("flipped"), 10, 10, 10);
            byte[] w = Files.readAllBytes(m.resolve("weights.safetensors"));
            w[w.length - 1] ^= 1;
            Files.write(m.resolve("weights.safetensors"), w);
            return args("model", "summary", m);
        }));
        c.add(bad("weights for another layer size", "expected tensor 'dense.kernel' of shape", d ->
                args("model", "summary", engineModel(d.resolve("mismatch"), 10, 12, 10))));
        c.add(bad("an engine model whose header names a Tribuo family", "tribuo-model.properties: missing", d -> {
            Path m = engineModel(d.resolve("other-family"), 10, 10, 10);
            Files.writeString(m.resolve("modelbench-model.properties"), "family=tribuo-random-forest\nformat-version=1\n");
            return args("model", "summary", m);
        }));
        c.add(bad("a weights file that is a symlink out of the model folder", "a symbolic link that leaves its folder", d -> {
            Path m = engineModel(d.resolve("symlinked"), 10, 10, 10);
            Path outside = Files.move(m.resolve("weights.safetensors"), d.resolve("outside.safetensors"));
            Files.createSymbolicLink(m.resolve("weights.safetensors"), outside);
            return args("model", "summary", m);
        }));
        c.add(bad("a 28x28 convolution with 100000 filters", "the layers declare 79500010 parameters", d -> {
            Path m = engineModel(d.resolve("conv"), 10, 10, 10);
            Files.writeString(m.resolve("architecture.json"), Files.readString(m.resolve("architecture.json")).replace(
                    "{\"name\": \"flatten\", \"type\": \"flatten\", \"inputs\": [\"input\"], \"config\": {}}",
                    "{\"name\": \"conv\", \"type\": \"conv2d\", \"inputs\": [\"input\"], \"config\": {\"filters\": "
                            + "100000, \"kernel\": 28}}, {\"name\": \"flatten\", \"type\": \"flatten\", \"inputs\": "
                            + "[\"conv\"], \"config\": {}}"));
            return args("model", "summary", m);
        }));
        c.add(bad("an input shape of 40000x40000 before a dense layer", "the layers declare 16000000010 parameters", d -> {
            Path m = engineModel(d.resolve("wide-input"), 10, 10, 10);
            Files.writeString(m.resolve("architecture.json"), Files.readString(m.resolve("architecture.json"))
                    .replace("\"inputShape\": [1, 28, 28]", "\"inputShape\": [1, 40000, 40000]"));
            return args("model", "summary", m);
        }));
        c.add(bad("a safetensors header length of 2^60", "header length 1152921504606846976 does not fit", d -> {
            byte[] w = BadFiles.safetensors(784, 10);
            java.nio.ByteBuffer.wrap(w).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 60);
            return args("model", "summary", engineModel(d.resolve("header"), 10, w, 10));
        }));
        c.add(bad("a safetensors tensor claiming bytes past the end", "claims bytes", d -> {
            byte[] w = BadFiles.safetensors(784, 10);
            String text = new String(w, StandardCharsets.ISO_8859_1).replace("[31360,31400]", "[31360,99999]");
            return args("model", "summary", engineModel(d.resolve("offsets"), 10, text.getBytes(StandardCharsets.ISO_8859_1),
                    10));
        }));
        // --- Tribuo saved models
        c.add(bad("a class name Tribuo would load that is not on the allow-list",
                "class name 'java.lang.ProcessBuilder' is not allowed", d -> args("model", "summary",
                        tribuoModel(d.resolve("gadget"), "classes=1\nclass.0=a\n", gzip(BadFiles.tribuoModelNaming(
                                "org.tribuo.common.tree.TreeModel", "java.lang.ProcessBuilder"))))));
        c.add(bad("a top-level model class outside the allow-list", "is not allowed", d -> args("model", "summary",
                tribuoModel(d.resolve("top"), "classes=1\nclass.0=a\n", gzip(BadFiles.tribuoModelNaming(
                        "java.lang.Runtime", "org.tribuo.classification.ImmutableLabelInfo"))))));
        c.add(bad("an Any of a type outside Tribuo's", "which is not a Tribuo message type", d -> {
            byte[] model = new BadFiles.Proto().integer(1, 0).string(2, "org.tribuo.common.tree.TreeModel")
                    .message(3, new BadFiles.Proto().string(1, "type.googleapis.com/evil.Payload")).toByteArray();
            return args("model", "summary", tribuoModel(d.resolve("any"), "classes=1\nclass.0=a\n", gzip(model)));
        }));
        c.add(bad("tribuo-model.pb.gz that is not gzip", "not a gzip-compressed Tribuo protobuf model", d ->
                args("model", "summary", tribuoModel(d.resolve("plain"), "classes=1\nclass.0=a\n", new byte[100]))));
        c.add(bad("tribuo-model.pb.gz missing", "tribuo-model.pb.gz: missing", d ->
                args("model", "summary", tribuoModel(d.resolve("nomodel"), "classes=1\nclass.0=a\n", null))));
        c.add(bad("a class name key missing", "expected key 'class.1'", d ->
                args("model", "summary", tribuoModel(d.resolve("noclass"), "classes=2\nclass.0=a\n", null))));
        c.add(bad("classes that is not a number", "classes: expected an integer, got 'many'", d ->
                args("model", "summary", tribuoModel(d.resolve("nan"), "classes=many\n", null))));
        c.add(bad("a 2000-character class name", "a class name of 2000 characters", d ->
                args("model", "summary", tribuoModel(d.resolve("longname"), "classes=1\nclass.0=" + "x".repeat(2000)
                        + "\n", null))));
        c.add(bad("tribuo-model.properties missing", "tribuo-model.properties: missing", d -> {
            Path m = tribuoModel(d.resolve("nosidecar"), "classes=1\nclass.0=a\n", null);
            Files.delete(m.resolve("tribuo-model.properties"));
            return args("model", "summary", m);
        }));
        // --- predict inputs
        c.add(bad("a PNG whose body is garbage", "cannot read as PNG", d -> {
            byte[] png = BadFiles.png(28, 28);
            png[40] ^= (byte) 0xFF;
            return args("predict", "--model", engineModel(d.resolve("ok"), 10, 10, 10), "--input",
                    write(d, "broken.png", png));
        }));
        c.add(bad("an input that is neither PNG nor IDX", "bad magic number", d -> args("predict", "--model",
                engineModel(d.resolve("ok"), 10, 10, 10), "--input", "/etc/passwd")));
        c.add(bad("predict --labels with a label outside the classes", "label 0 is 200; the model has 10 classes", d -> {
            write(d, "two.idx", concat(idxHeader(2, 28, 28), new byte[2 * 784]));
            return args("predict", "--model", engineModel(d.resolve("ok"), 10, 10, 10), "--input", d.resolve("two.idx"),
                    "--labels", write(d, "bad-labels.idx", concat(idxHeader(2), new byte[] {(byte) 200, 1})));
        }));
        c.add(bad("predict --labels with the wrong count", "holds 3 labels for 2 inputs", d -> {
            write(d, "two.idx", concat(idxHeader(2, 28, 28), new byte[2 * 784]));
            return args("predict", "--model", engineModel(d.resolve("ok"), 10, 10, 10), "--input", d.resolve("two.idx"),
                    "--labels", write(d, "three-labels.idx", concat(idxHeader(3), new byte[] {1, 1, 1})));
        }));
        c.add(bad("IDX images of another size than the model takes", "but the model expects", d -> args("predict",
                "--model", engineModel(d.resolve("ok"), 10, 10, 10), "--input",
                write(d, "small.idx", concat(idxHeader(2, 8, 8), new byte[128])))));
        // --- manifests
        c.add(bad("a missing manifest", "nope.yaml", d -> args("run", "--check", d.resolve("nope.yaml"))));
        c.add(bad("a YAML syntax error", "bad.yaml", d -> args("run", "--check", write(d, "bad.yaml", "name: [unclosed\n"))));
        c.add(bad("an unknown top-level key", "colour", d -> args("run", "--check", write(d, "colour.yaml",
                manifest(idxFiles(d), "{id: lr, family: logreg}") + "colour: blue\n"))));
        c.add(bad("testImages: /etc/passwd", "dataset.files.testImages", d -> args("run", "--check", write(d,
                "passwd-images.yaml", manifest(idxFiles(d).replace("testImages: images.idx", "testImages: /etc/passwd"),
                        "{id: lr, family: logreg}")))));
        c.add(bad("labels of another count than the images", "holds 5 labels but", d -> {
            String files = idxFiles(d);
            write(d, "five.idx", concat(idxHeader(5), new byte[5]));
            return args("run", "--check", write(d, "count.yaml", manifest(files.replace("trainLabels: labels.idx",
                    "trainLabels: five.idx"), "{id: lr, family: logreg}")));
        }));
        c.add(bad("an onnx family whose file is /etc/passwd", "not a valid ONNX model", d -> args("run", "--check",
                write(d, "onnx.yaml", manifest(idxFiles(d), "{id: o, family: onnx, params: {file: /etc/passwd}}")))));
        c.add(bad("an unknown family", "no-such-family", d -> args("run", "--check", write(d, "family.yaml",
                manifest(idxFiles(d), "{id: x, family: no-such-family}")))));
        c.add(bad("trainLabels: /etc/passwd", "/etc/passwd", d -> args("run", "--check", write(d, "passwd.yaml",
                manifest(idxFiles(d).replace("trainLabels: labels.idx", "trainLabels: /etc/passwd"),
                        "{id: lr, family: logreg}")))));
        c.add(bad("an MLP with hidden: [1000000000]", "model mlp has 795000000010 parameters", d -> args("run", "--check", write(d, "wide.yaml",
                manifest(idxFiles(d), "{id: mlp, family: mlp, params: {hidden: [1000000000]}}")))));
        c.add(bad("a negative epoch count", "epochs", d -> args("run", "--check", write(d, "epochs.yaml",
                manifest(idxFiles(d), "{id: lr, family: logreg, params: {epochs: -1}}")))));
        // --- options and commands
        c.add(bad("an unknown command", "Unmatched argument", d -> args("fly")));
        c.add(bad("an unknown option", "Unknown option: '--frobnicate'", d -> args("run", "--frobnicate", "x.yaml")));
        c.add(bad("run without a manifest", "expected a MANIFEST or --resume BUNDLE", d -> args("run")));
        c.add(bad("predict --model without a value", "Missing required parameter for option '--model'",
                d -> args("predict", "--model")));
        c.add(bad("bench with a bad thread count", "modelbench: error: bench: --threads", d -> args("bench",
                "--threads", "zero")));
        c.add(bad("bench with an unknown option", "modelbench: error: bench:", d -> args("bench", "--warp")));
        c.add(new Case("--plugins-dir whose value is a command's name", d -> {
            Files.createDirectories(d.resolve("plugins"));
            return args("--plugins-dir", d.resolve("plugins"), "plugins");
        }, 0, "tribuo-random-forest", false));
        c.add(bad("reproduce of a folder that is not a bundle", "not-a-bundle", d -> args("reproduce",
                Files.createDirectories(d.resolve("not-a-bundle")))));
        c.add(new Case("a plugin jar that is not a zip is skipped with a one-line warning", d -> {
            write(d, "junk-plugins/junk.jar", "not a jar");
            return args("--plugins-dir", d.resolve("junk-plugins"), "plugins");
        }, 0, "tribuo-random-forest", false));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputGivesItsExitCodeAndOneLine() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(ModelbenchProcess.GNU_TIME)) {
            if (ci) {
                throw new AssertionError("GNU time (/usr/bin/time) is missing; scripts/install-test-deps.sh installs it");
            }
            System.out.println("skipped: peak RSS checks (GNU time /usr/bin/time is not installed)");
        }
        int[] index = {0};
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Path dir = Files.createDirectories(work.resolve("case-" + index[0]++));
            String[] args = c.setup().args(dir);
            var m = ModelbenchProcess.runMeasured(dir, 120, HEAP, args);
            var r = m.result();
            assertEquals(c.exitCode(), r.exitCode(), () -> c.name() + "\n" + r);
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), () -> "stack trace:\n" + r);
            if (c.exitCode() == 0) {
                assertTrue(r.out().contains(c.fragment()), () -> "expected '" + c.fragment() + "' in stdout\n" + r);
                assertTrue(r.err().lines().allMatch(l -> l.startsWith("modelbench: warning: ")), r::toString);
            } else {
                List<String> lines = r.err().lines().toList();
                assertEquals(1, lines.size(), () -> "expected one line\n" + r);
                assertTrue(lines.get(0).startsWith("modelbench: error: "), r::toString);
                assertTrue(lines.get(0).contains(c.fragment()), () -> "expected '" + c.fragment() + "'\n" + r);
                assertTrue(lines.get(0).length() <= 2100, () -> "a long line: " + lines.get(0).length());
                assertFalse(Files.exists(dir.resolve("runs")), "a bad input writes no bundle");
            }
            if (c.tiny()) {
                List<String> files = Stream.of(args).filter(a -> a.startsWith(dir + "/"))
                        .map(a -> Path.of(a).getFileName().toString()).toList();
                assertTrue(files.stream().anyMatch(r.err()::contains), () -> "the message names none of " + files
                        + "\n" + r);
                Assumptions.assumeTrue(m.peakRssKiB() >= 0, "skipped: no GNU time");
                System.out.printf("%s: exit %d, peak RSS %d MiB%n", c.name(), r.exitCode(), m.peakRssKiB() / 1024);
                assertTrue(m.peakRssKiB() < MAX_RSS_MIB * 1024, () -> c.name() + ": peak RSS "
                        + m.peakRssKiB() / 1024 + " MiB at -Xmx" + HEAP + ", expected < " + MAX_RSS_MIB);
            }
        }));
    }
}
