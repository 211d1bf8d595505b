package org.modelbench.onnx.internal.keras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;

/**
 * The TensorFlow.js layers format: {@code model.json} ({@code modelTopology} with the Keras model
 * config, {@code weightsManifest} with groups of weight entries and the shard files that hold their
 * bytes, concatenated in order) and the shards beside it.
 *
 * <p>Weights are float32, or quantized ({@code quantization: {dtype: uint8|uint16, scale, min}}:
 * value = q * scale + min; {@code dtype: float16}). Every shape, count and byte size in the manifest
 * is checked against the bytes of the shard files before anything is allocated; errors name the file
 * and the field or weight.
 */
final class TfjsFormat {
    /** The largest model.json read (its weights are in the shards). */
    static final long MAX_JSON_BYTES = 64L << 20;
    private static final long MAX_WEIGHT_VALUES = KerasModel.MAX_WEIGHT_VALUES;

    private TfjsFormat() {
    }

    /** Reads {@code file} and its shards. */
    static KerasModel read(Path file) {
        JsonNode root = readJson(file);
        JsonNode topology = root.path("modelTopology");
        if (!topology.isObject()) {
            throw bad(file, "modelTopology", "missing; expected a TensorFlow.js layers model (model.json)");
        }
        JsonNode modelConfig = topology.has("model_config") ? topology.get("model_config") : topology;
        return KerasModel.of(file, modelConfig, readWeights(file, root.path("weightsManifest")));
    }

    private static JsonNode readJson(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_JSON_BYTES) {
                throw bad(file, "size", size + " bytes; expected a model.json of at most " + MAX_JSON_BYTES + " bytes");
            }
            return new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw bad(file, "json", "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static Map<String, KerasWeight> readWeights(Path file, JsonNode manifest) {
        if (!manifest.isArray()) {
            throw bad(file, "weightsManifest", "missing; expected a list of {paths, weights}");
        }
        Map<String, KerasWeight> weights = new LinkedHashMap<>();
        Path dir = file.toAbsolutePath().getParent();
        for (int g = 0; g < manifest.size(); g++) {
            JsonNode group = manifest.get(g);
            String where = "weightsManifest[" + g + "]";
            List<Path> shards = shards(file, dir, group.path("paths"), where);
            long available = 0;
            for (Path p : shards) {
                available += size(file, p);
            }
            JsonNode entries = group.path("weights");
            if (!entries.isArray()) {
                throw bad(file, where + ".weights", "expected a list of {name, shape, dtype}");
            }
            // sizes first, against the bytes present, before reading anything
            long[] bytes = new long[entries.size()];
            long needed = 0;
            for (int w = 0; w < entries.size(); w++) {
                bytes[w] = byteSize(file, entries.get(w), where + ".weights[" + w + "]");
                needed += bytes[w];
            }
            if (needed != available) {
                throw bad(file, where + ".paths", "the shards hold " + available + " bytes but the weights need "
                        + needed);
            }
            try (ShardStream in = new ShardStream(shards)) {
                for (int w = 0; w < entries.size(); w++) {
                    JsonNode e = entries.get(w);
                    KerasWeight weight = decode(file, e, in.read((int) bytes[w]), where + ".weights[" + w + "]");
                    if (weights.put(weight.name(), weight) != null) {
                        throw bad(file, where + ".weights[" + w + "].name", "duplicate weight '" + weight.name() + "'");
                    }
                }
            } catch (IOException ex) {
                throw new InvalidInputException(file + ": cannot read the weight shards: " + ex.getMessage());
            }
        }
        return weights;
    }

    private static List<Path> shards(Path file, Path dir, JsonNode paths, String where) {
        if (!paths.isArray() || paths.isEmpty()) {
            throw bad(file, where + ".paths", "expected a list of shard files");
        }
        List<Path> out = new ArrayList<>();
        for (JsonNode p : paths) {
            String name = p.asText("");
            Path shard = dir.resolve(name).normalize();
            if (name.isEmpty() || !shard.startsWith(dir) || !Files.isRegularFile(shard)) {
                throw bad(file, where + ".paths", "shard '" + name + "' is not a file in " + dir);
            }
            out.add(shard);
        }
        return out;
    }

    private static long size(Path file, Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read shard " + p + ": " + e.getMessage());
        }
    }

    /** The number of values of an entry's shape, checked. */
    private static long count(Path file, JsonNode entry, String where) {
        JsonNode shape = entry.path("shape");
        if (!shape.isArray() || shape.size() > 8) {
            throw bad(file, where + ".shape", "expected a list of at most 8 sizes, got " + shape);
        }
        long n = 1;
        for (JsonNode d : shape) {
            if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > MAX_WEIGHT_VALUES) {
                throw bad(file, where + ".shape", "expected sizes >= 0, got " + shape);
            }
            n *= d.asLong();
            if (n > MAX_WEIGHT_VALUES) {
                throw bad(file, where + ".shape", shape + " has more than " + MAX_WEIGHT_VALUES + " values");
            }
        }
        return n;
    }

    private static long byteSize(Path file, JsonNode entry, String where) {
        long n = count(file, entry, where);
        JsonNode q = entry.path("quantization");
        String dtype = q.isObject() ? q.path("dtype").asText("") : entry.path("dtype").asText("float32");
        int width = switch (dtype) {
            case "float32", "int32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8" -> 1;
            default -> throw bad(file, where + (q.isObject() ? ".quantization.dtype" : ".dtype"),
                    "unsupported '" + dtype + "'; expected float32, int32, uint8, uint16 or float16");
        };
        return n * width;
    }

    private static KerasWeight decode(Path file, JsonNode entry, byte[] raw, String where) {
        String name = entry.path("name").asText("");
        if (name.isEmpty()) {
            throw bad(file, where + ".name", "missing");
        }
        int n = (int) count(file, entry, where);
        int[] shape = new int[entry.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.path("shape").get(i).asInt();
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[n];
        JsonNode q = entry.path("quantization");
        String dtype = q.isObject() ? q.path("dtype").asText() : entry.path("dtype").asText("float32");
        if (dtype.equals("uint8") || dtype.equals("uint16")) {
            if (!q.path("scale").isNumber() || !q.path("min").isNumber()) {
                throw bad(file, where + ".quantization", "expected numbers scale and min, got " + q);
            }
            double scale = q.get("scale").asDouble();
            double min = q.get("min").asDouble();
            for (int i = 0; i < n; i++) {
                int code = dtype.equals("uint8") ? raw[i] & 0xff : b.getShort(2 * i) & 0xffff;
                v[i] = (float) (code * scale + min);
            }
        } else if (dtype.equals("float16")) {
            for (int i = 0; i < n; i++) {
                v[i] = halfToFloat(b.getShort(2 * i));
            }
        } else if (dtype.equals("int32")) {
            for (int i = 0; i < n; i++) {
                v[i] = b.getInt(4 * i);
            }
        } else {
            b.asFloatBuffer().get(v);
        }
        return new KerasWeight(name, shape, v);
    }

    /** IEEE 754 binary16 to float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static InvalidInputException bad(Path file, String field, String message) {
        return KerasModel.bad(file, field, message);
    }

    /** The shards of a group read as one byte stream. */
    private static final class ShardStream implements AutoCloseable {
        private final List<Path> shards;
        private int next;
        private InputStream current;

        ShardStream(List<Path> shards) {
            this.shards = shards;
        }

        byte[] read(int n) throws IOException {
            byte[] out = new byte[n];
            int filled = 0;
            while (filled < n) {
                if (current == null) {
                    if (next == shards.size()) {
                        throw new IOException("the shards end early");
                    }
                    current = new java.io.BufferedInputStream(Files.newInputStream(shards.get(next++)), 1 << 16);
                }
                int r = current.read(out, filled, n - filled);
                if (r < 0) {
                    current.close();
                    current = null;
                } else {
                    filled += r;
                }
            }
            return out;
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
            }
        }
    }
}
