package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.InvalidInputException;

/**
 * Conversion between ONNX {@code TensorProto}s and {@link Value}s, including raw little-endian data,
 * typed repeated fields and external data files (which must stay inside the model's folder).
 */
public final class TensorProtos {
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int UINT16 = 4;
    private static final int INT16 = 5;
    private static final int FLOAT16 = 10;
    private static final int UINT32 = 12;
    private static final int UINT64 = 13;

    private TensorProtos() {
    }

    /** Reads a serialized TensorProto ({@code input_0.pb}). */
    public static Value read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        TensorProto proto;
        try {
            proto = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DataFormatException(file, -1, "not a serialized ONNX TensorProto: " + e.getMessage(), e);
        }
        return toValue(proto, file.toAbsolutePath().getParent(), file.toString());
    }

    /** Writes {@code value} named {@code name} as a serialized TensorProto, atomically. */
    public static void write(Path file, String name, Value value) {
        AtomicFiles.write(file, toProto(name, value).toByteArray());
    }

    /**
     * Decodes a tensor.
     *
     * @param baseDirectory the model's folder, for external data; null when external data is refused
     * @param where         names the tensor's origin in error messages (file and initializer or node)
     */
    public static Value toValue(TensorProto t, Path baseDirectory, String where) {
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new InvalidInputException(where + ": tensor '" + t.getName() + "' has invalid dimension " + d);
            }
            dims[i] = (int) d;
        }
        long count = Value.size(dims);
        if (count > Integer.MAX_VALUE) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "' is too large");
        }
        int n = (int) count;
        int type = t.getDataType();
        ByteString raw = t.hasRawData() ? t.getRawData() : null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = ByteString.copyFrom(readExternal(t, baseDirectory, where, n * (long) byteWidth(type, t, where)));
        }
        if (raw != null && !raw.isEmpty()) {
            return fromRaw(t, raw, dims, n, type, where);
        }
        switch (type) {
            case Value.FLOAT: {
                float[] data = new float[n];
                check(t.getFloatDataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = t.getFloatData(i);
                }
                return Value.floats(dims, data);
            }
            case Value.DOUBLE: {
                float[] data = new float[n];
                check(t.getDoubleDataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = (float) t.getDoubleData(i);
                }
                return Value.floats(dims, data, Value.DOUBLE);
            }
            case FLOAT16: {
                float[] data = new float[n];
                check(t.getInt32DataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = halfToFloat((short) t.getInt32Data(i));
                }
                return Value.floats(dims, data, FLOAT16);
            }
            case Value.INT64: {
                long[] data = new long[n];
                check(t.getInt64DataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = t.getInt64Data(i);
                }
                return Value.longs(dims, data);
            }
            case UINT64: {
                long[] data = new long[n];
                check(t.getUint64DataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = t.getUint64Data(i);
                }
                return Value.longs(dims, data, UINT64);
            }
            case Value.INT32, INT16, INT8, UINT16, UINT8, Value.BOOL: {
                long[] data = new long[n];
                check(t.getInt32DataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = t.getInt32Data(i);
                }
                return Value.longs(dims, data, type);
            }
            case UINT32: {
                long[] data = new long[n];
                check(t.getUint64DataCount(), n, t, where);
                for (int i = 0; i < n; i++) {
                    data[i] = t.getUint64Data(i);
                }
                return Value.longs(dims, data, type);
            }
            default:
                throw new UnsupportedFeatureException(where + ": tensor '" + t.getName() + "' has unsupported data type "
                        + typeName(type));
        }
    }

    private static void check(int have, int need, TensorProto t, String where) {
        if (have != need) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "' declares " + need
                    + " elements but holds " + have);
        }
    }

    private static int byteWidth(int type, TensorProto t, String where) {
        return switch (type) {
            case Value.FLOAT, Value.INT32, UINT32 -> 4;
            case Value.DOUBLE, Value.INT64, UINT64 -> 8;
            case FLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, Value.BOOL -> 1;
            default -> throw new UnsupportedFeatureException(where + ": tensor '" + t.getName()
                    + "' has unsupported data type " + typeName(type));
        };
    }

    private static Value fromRaw(TensorProto t, ByteString raw, int[] dims, int n, int type, String where) {
        int width = byteWidth(type, t, where);
        if (raw.size() != (long) n * width) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "' needs " + (long) n * width
                    + " bytes of raw data, got " + raw.size());
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case Value.FLOAT: {
                float[] data = new float[n];
                b.asFloatBuffer().get(data);
                return Value.floats(dims, data);
            }
            case Value.DOUBLE: {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (float) b.getDouble();
                }
                return Value.floats(dims, data, Value.DOUBLE);
            }
            case FLOAT16: {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = halfToFloat(b.getShort());
                }
                return Value.floats(dims, data, FLOAT16);
            }
            default: {
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = switch (type) {
                        case Value.INT64, UINT64 -> b.getLong();
                        case Value.INT32 -> b.getInt();
                        case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                        case INT16 -> b.getShort();
                        case UINT16 -> b.getShort() & 0xFFFF;
                        case INT8 -> b.get();
                        default -> b.get() & 0xFF;
                    };
                }
                return Value.longs(dims, data, type);
            }
        }
    }

    private static byte[] readExternal(TensorProto t, Path baseDirectory, String where, long expectedBytes) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset", t, where);
                case "length" -> length = parseLong(e.getValue(), "length", t, where);
                default -> {
                }
            }
        }
        if (location == null || baseDirectory == null) {
            throw new InvalidInputException(where + ": tensor '" + t.getName()
                    + "' stores its data externally but names no readable location");
        }
        Path base = baseDirectory.toAbsolutePath().normalize();
        Path file = base.resolve(location).normalize();
        try {
            Path realBase = base.toRealPath();
            Path real = Files.exists(file) ? file.toRealPath() : file;
            if (!file.startsWith(base) || !real.startsWith(realBase)) {
                throw new InvalidInputException(where + ": tensor '" + t.getName() + "' has external data path '"
                        + location + "' outside the model's folder " + base);
            }
        } catch (IOException e) {
            throw new InvalidInputException(where + ": cannot resolve " + base + ": " + e.getMessage(), e);
        }
        if (length < 0) {
            length = expectedBytes;
        }
        if (length != expectedBytes) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "' needs " + expectedBytes
                    + " bytes but its external data length is " + length);
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            if (offset + length > in.length()) {
                throw new DataFormatException(file, offset, "external data of tensor '" + t.getName() + "' needs "
                        + length + " bytes from offset " + offset + " but the file has " + in.length());
            }
            byte[] bytes = new byte[Math.toIntExact(length)];
            in.seek(offset);
            in.readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "': cannot read external data "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static long parseLong(String text, String key, TensorProto t, String where) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": tensor '" + t.getName() + "' has external data " + key
                    + " '" + text + "', expected an integer");
        }
    }

    /** Encodes {@code value} as a TensorProto with raw data, keeping its element type. */
    public static TensorProto toProto(String name, Value value) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name);
        for (int d : value.dims()) {
            b.addDims(d);
        }
        int type = value.elementType();
        b.setDataType(type);
        int n = value.size();
        ByteBuffer buf;
        if (value.isFloating()) {
            float[] f = value.floatData();
            switch (type) {
                case Value.DOUBLE -> {
                    buf = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                    for (float x : f) {
                        buf.putDouble(x);
                    }
                }
                case FLOAT16 -> {
                    buf = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (float x : f) {
                        buf.putShort(floatToHalf(x));
                    }
                }
                default -> {
                    b.setDataType(Value.FLOAT);
                    buf = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asFloatBuffer().put(f);
                }
            }
        } else {
            long[] l = value.longData();
            int width = byteWidth(type, b.buildPartial(), name);
            buf = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : l) {
                switch (width) {
                    case 8 -> buf.putLong(x);
                    case 4 -> buf.putInt((int) x);
                    case 2 -> buf.putShort((short) x);
                    default -> buf.put((byte) x);
                }
            }
        }
        buf.rewind();
        b.setRawData(ByteString.copyFrom(buf));
        return b.build();
    }

    /** IEEE 754 binary16 bits to float. */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Float to IEEE 754 binary16 bits, rounding to nearest even. */
    static short floatToHalf(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        float abs = Math.abs(value);
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7E00);
        }
        if (abs >= 65520f) {
            return (short) (sign | 0x7C00);
        }
        if (abs < 0x1p-14f) {
            return (short) (sign | Math.round(abs * 0x1p24f));
        }
        int exponent = Math.getExponent(abs);
        int mantissaBits = Float.floatToIntBits(abs) & 0x7FFFFF;
        int half = ((exponent + 15) << 10) | (mantissaBits >>> 13);
        int rest = mantissaBits & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The ONNX name of a data type number. */
    public static String typeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "type " + type : t.name();
    }
}
