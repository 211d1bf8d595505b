package org.modelbench.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Builds hostile and broken input files byte by byte (the integration tests see the application only
 * as a process, so nothing here uses its classes): protobuf messages, IDX, PNG, safetensors and
 * saved-model folders.
 */
final class BadFiles {
    private BadFiles() {
    }

    /** A protobuf message written field by field. */
    static final class Proto {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        private void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                bytes.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            bytes.write((int) v);
        }

        Proto integer(int field, long value) {
            varint((long) field << 3);
            varint(value);
            return this;
        }

        Proto bytes(int field, byte[] value) {
            varint((long) field << 3 | 2);
            varint(value.length);
            bytes.writeBytes(value);
            return this;
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.toByteArray());
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** An ONNX TensorProto header: dims, FLOAT, a name; no data unless added. */
    static Proto onnxTensor(String name, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.integer(1, d);
        }
        return t.integer(2, 1).string(8, name);
    }

    /** A ValueInfoProto of a FLOAT tensor with {@code dims}. */
    static Proto onnxValueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().integer(1, d));
        }
        Proto tensorType = new Proto().integer(1, 1).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /**
     * An ONNX model computing {@code y = Add(x, w)} with initializer {@code w}, opset 13.
     *
     * @param nodeName the Add node's name
     */
    static byte[] onnxAddModel(Proto initializer, String nodeName, long... dims) {
        Proto node = new Proto().string(1, "x").string(1, "w").string(2, "y").string(3, nodeName).string(4, "Add");
        Proto graph = new Proto().message(1, node).string(2, "g").message(5, initializer)
                .message(11, onnxValueInfo("x", dims)).message(12, onnxValueInfo("y", dims));
        return new Proto().integer(1, 8).message(7, graph).message(8, new Proto().integer(2, 13)).toByteArray();
    }

    /** An ONNX TensorProto {@code x} of {@code n} floats (raw data). */
    static byte[] onnxInput(int n) {
        return onnxTensor("x", n).bytes(9, new byte[4 * n]).toByteArray();
    }

    /** An IDX header (unsigned bytes) with {@code dims}. */
    static byte[] idxHeader(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** A gzip stream of {@code prefix}, {@code repeat} bytes {@code fill}, then {@code suffix}, made without holding it all. */
    static byte[] gzipRepeated(byte[] prefix, long repeat, byte fill, byte[] suffix) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(prefix);
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, fill);
            for (long left = repeat; left > 0; left -= chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            gz.write(suffix);
        }
        return out.toByteArray();
    }

    /** A PNG whose header declares {@code width x height} 8-bit grey pixels, with a tiny (wrong) image body. */
    static byte[] png(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[width <= 64 ? (width + 1) * height : 1000]);
        deflater.finish();
        byte[] idat = new byte[64 + (width <= 64 ? (width + 1) * height : 1000)];
        int n = deflater.deflate(idat);
        return concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, pngChunk("IHDR", ihdr.array()),
                pngChunk("IDAT", java.util.Arrays.copyOf(idat, n)), pngChunk("IEND", new byte[0]));
    }

    private static byte[] pngChunk(String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        return concat(ByteBuffer.allocate(4).putInt(data.length).array(), t, data,
                ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A safetensors file of zero float32 tensors {@code dense.kernel [in, units]} and {@code dense.bias [units]}. */
    static byte[] safetensors(int in, int units) {
        long kernel = 4L * in * units;
        String json = "{\"dense.kernel\":{\"dtype\":\"F32\",\"shape\":[" + in + "," + units + "],\"data_offsets\":[0,"
                + kernel + "]},\"dense.bias\":{\"dtype\":\"F32\",\"shape\":[" + units + "],\"data_offsets\":[" + kernel
                + "," + (kernel + 4L * units) + "]}}";
        while ((json.length() % 8) != 0) {
            json += " ";
        }
        ByteBuffer b = ByteBuffer.allocate((int) (8 + json.length() + kernel + 4L * units)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /**
     * A saved {@code logreg} engine model in {@code dir}: 1x28x28 inputs flattened into a dense
     * softmax layer of {@code units} units over {@code classes} class names (units = classes for a
     * working model), with zero weights for a dense layer of {@code weightUnits} units.
     */
    static Path engineModel(Path dir, int units, int weightUnits, int classes) throws Exception {
        return engineModel(dir, units, safetensors(784, weightUnits), classes);
    }

    /** As {@link #engineModel(Path, int, int, int)} with the given weights file (its size and SHA-256 recorded). */
    static Path engineModel(Path dir, int units, byte[] weights, int classes) throws Exception {
        Files.createDirectories(dir);
        StringBuilder names = new StringBuilder();
        for (int c = 0; c < classes; c++) {
            names.append(c == 0 ? "" : ",").append('"').append(c).append('"');
        }
        Files.writeString(dir.resolve("modelbench-model.properties"), "family=logreg\nformat-version=1\n");
        Files.write(dir.resolve("weights.safetensors"), weights);
        Files.writeString(dir.resolve("architecture.json"), """
                {"format": "modelbench-engine-network", "formatVersion": 1, "family": "logreg", "name": "logreg",
                 "inputShape": [1, 28, 28], "classNames": [%s],
                 "nodes": [{"name": "flatten", "type": "flatten", "inputs": ["input"], "config": {}},
                           {"name": "dense", "type": "dense", "inputs": ["flatten"],
                            "config": {"units": %d, "activation": "softmax"}}],
                 "provenance": {"familyVersion": "test", "config": null, "seed": 1, "threads": 1, "details": {}},
                 "weights": {"file": "weights.safetensors", "bytes": %d, "sha256": "%s"}}
                """.formatted(names, units, weights.length, sha256(weights)));
        return dir;
    }

    /** The sidecar of a saved random forest with {@code classLines} (e.g. {@code classes=2\nclass.0=a\n...}). */
    static Path tribuoModel(Path dir, String classLines, byte[] modelFile) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("modelbench-model.properties"), "family=tribuo-random-forest\nformat-version=1\n");
        Files.writeString(dir.resolve("tribuo-model.properties"), classLines + """
                config.featureFraction=0.1
                config.maxDepth=4
                config.minChildWeight=1.0
                config.trees=3
                family-version=test
                sample-shape=1x28x28
                seed=1
                threads=1
                """);
        if (modelFile != null) {
            Files.write(dir.resolve("tribuo-model.pb.gz"), modelFile);
        }
        return dir;
    }

    /** A Tribuo ModelProto naming {@code topClass} whose tree's output domain names {@code nestedClass}. */
    static byte[] tribuoModelNaming(String topClass, String nestedClass) {
        Proto outputDomain = new Proto().integer(1, 0).string(2, nestedClass);
        Proto metadata = new Proto().string(1, "tree").message(5, outputDomain);
        Proto tree = new Proto().message(1, metadata);
        Proto any = new Proto().string(1, "type.googleapis.com/tribuo.common.tree.TreeModelProto").message(2, tree);
        return new Proto().integer(1, 0).string(2, topClass).message(3, any).toByteArray();
    }
}
