package org.modelbench.engine.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * The safetensors format for float32 tensors: an 8-byte little-endian header length {@code h}, a
 * UTF-8 JSON header of {@code h} bytes mapping each name to {@code {dtype: F32, shape, data_offsets:
 * [begin, end]}} (offsets relative to the data section), then the raw little-endian data. Reading
 * validates every length and offset, so a truncated or corrupted file fails with the byte offset.
 */
final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    static byte[] write(Map<String, Tensor> tensors) {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().shape().size();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", e.getValue().shape().dims());
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), entry);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int pad = (8 - json.length % 8) % 8;
        ByteBuffer out = ByteBuffer.allocate((int) (8 + json.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length + pad);
        out.put(json);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            out.asFloatBuffer().put(t.data());
            out.position(out.position() + 4 * t.data().length);
        }
        return out.array();
    }

    /** Reads every tensor of {@code bytes} (the content of {@code file}). */
    static Map<String, Tensor> read(byte[] bytes, Path file) {
        if (bytes.length < 8) {
            throw new DataFormatException(file, 0, "expected an 8-byte header length, the file has " + bytes.length
                    + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = in.getLong();
        if (headerLength < 2 || headerLength > bytes.length - 8) {
            throw new DataFormatException(file, 0, "header length " + headerLength + " does not fit in a file of "
                    + bytes.length + " bytes (truncated or not safetensors)");
        }
        Map<?, ?> header;
        try {
            header = JSON.readValue(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8), Map.class);
        } catch (Exception e) {
            throw new DataFormatException(file, 8, "the JSON header is malformed: " + e.getMessage());
        }
        long dataStart = 8 + headerLength;
        long dataLength = bytes.length - dataStart;
        Map<String, Tensor> out = new LinkedHashMap<>();
        long expectedOffset = 0;
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (name.equals("__metadata__")) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> entry) || !"F32".equals(entry.get("dtype"))
                    || !(entry.get("shape") instanceof List<?> shapeList)
                    || !(entry.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
                throw new DataFormatException(file, 8, "tensor '" + name
                        + "': expected {dtype: F32, shape: [...], data_offsets: [begin, end]}");
            }
            int[] dims = new int[shapeList.size()];
            long size = 1;
            for (int i = 0; i < dims.length; i++) {
                if (!(shapeList.get(i) instanceof Number n) || n.longValue() < 1 || n.longValue() > Integer.MAX_VALUE) {
                    throw new DataFormatException(file, 8, "tensor '" + name + "': bad shape " + shapeList);
                }
                dims[i] = n.intValue();
                size *= dims[i];
                if (size > dataLength / 4) {
                    throw new DataFormatException(file, 8, "tensor '" + name + "': shape " + shapeList
                            + " needs more than the " + dataLength + " bytes of the data section");
                }
            }
            if (!(offsets.get(0) instanceof Number first) || !(offsets.get(1) instanceof Number last)) {
                throw new DataFormatException(file, 8, "tensor '" + name + "': data_offsets " + offsets
                        + " are not two integers");
            }
            long begin = first.longValue();
            long end = last.longValue();
            if (begin != expectedOffset || end - begin != 4 * size || end > dataLength) {
                throw new DataFormatException(file, dataStart + begin, "tensor '" + name + "' of shape " + shapeList
                        + " claims bytes [" + begin + ", " + end + ") of a data section of " + dataLength
                        + " bytes (truncated or corrupted)");
            }
            float[] data = new float[(int) size];
            ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            slice.asFloatBuffer().get(data);
            out.put(name, Tensor.of(new Shape(dims), data));
            expectedOffset = end;
        }
        if (expectedOffset != dataLength) {
            throw new DataFormatException(file, dataStart + expectedOffset, "expected the data to end here, but "
                    + (dataLength - expectedOffset) + " bytes follow");
        }
        return out;
    }
}
