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
import org.modelbench.api.Printable;

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

    /** The largest tensor read, in bytes of its data (one Java array; 2 GiB less a little). */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8L;

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
        int n = elementCount(t, where);
        int[] dims = dims(t);
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
                check(t.getFloatDataCount(), n, t, where);
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = t.getFloatData(i);
                }
                return Value.floats(dims, data);
            }
            case Value.DOUBLE: {
                check(t.getDoubleDataCount(), n, t, where);
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (float) t.getDoubleData(i);
                }
                return Value.floats(dims, data, Value.DOUBLE);
            }
            case FLOAT16: {
                check(t.getInt32DataCount(), n, t, where);
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = halfToFloat((short) t.getInt32Data(i));
                }
                return Value.floats(dims, data, FLOAT16);
            }
            case Value.INT64: {
                check(t.getInt64DataCount(), n, t, where);
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = t.getInt64Data(i);
                }
                return Value.longs(dims, data);
            }
            case UINT64: {
                check(t.getUint64DataCount(), n, t, where);
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = t.getUint64Data(i);
                }
                return Value.longs(dims, data, UINT64);
            }
            case Value.INT32, INT16, INT8, UINT16, UINT8, Value.BOOL: {
                check(t.getInt32DataCount(), n, t, where);
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = t.getInt32Data(i);
                }
                return Value.longs(dims, data, type);
            }
            case UINT32: {
                check(t.getUint64DataCount(), n, t, where);
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = t.getUint64Data(i);
                }
                return Value.longs(dims, data, type);
            }
            default:
                throw new UnsupportedFeatureException(where + ": tensor '" + Printable.of(t.getName()) + "' has unsupported data type "
                        + typeName(type));
        }
    }

    /** The tensor's dims, after {@link #elementCount} checked them. */
    private static int[] dims(TensorProto t) {
        int[] dims = new int[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) t.getDims(i);
        }
        return dims;
    }

    /** The number of elements the dims declare, checked to fit one array. */
    private static int elementCount(TensorProto t, String where) {
        long count = 1;
        for (int i = 0; i < t.getDimsCount(); i++) {
            long d = t.getDims(i);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' has invalid dimension "
                        + d);
            }
            count = d == 0 ? 0 : count > MAX_TENSOR_BYTES / d ? MAX_TENSOR_BYTES + 1 : count * d;
        }
        if (count > MAX_TENSOR_BYTES / 8) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' declares " + count
                    + "+ elements; at most " + MAX_TENSOR_BYTES / 8 + " are read into one tensor");
        }
        return (int) count;
    }

    /** Called before allocating: a tensor's declared size is trusted only once its data are known to be present. */
    private static void check(int have, int need, TensorProto t, String where) {
        if (have != need) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' declares " + need
                    + " elements but holds " + have);
        }
    }

    private static int byteWidth(int type, TensorProto t, String where) {
        return switch (type) {
            case Value.FLOAT, Value.INT32, UINT32 -> 4;
            case Value.DOUBLE, Value.INT64, UINT64 -> 8;
            case FLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, Value.BOOL -> 1;
            default -> throw new UnsupportedFeatureException(where + ": tensor '" + Printable.of(t.getName())
                    + "' has unsupported data type " + typeName(type));
        };
    }

    private static Value fromRaw(TensorProto t, ByteString raw, int[] dims, int n, int type, String where) {
        int width = byteWidth(type, t, where);
        if (raw.size() != (long) n * width) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' needs " + (long) n * width
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

    /** Where a tensor's external data lie, after checking that they are inside the folder and long enough. */
    private record ExternalData(Path file, long offset, long length) {
    }

    /**
     * Checks an initializer stored externally without reading its data: its location must stay inside
     * {@code baseDirectory} (symlinks resolved) and the file must hold the bytes its shape needs.
     *
     * @throws InvalidInputException naming {@code where} and the tensor otherwise
     */
    public static void checkExternal(TensorProto t, Path baseDirectory, String where) {
        int n = elementCount(t, where);
        external(t, baseDirectory, where, n * (long) byteWidth(t.getDataType(), t, where));
    }

    private static ExternalData external(TensorProto t, Path baseDirectory, String where, long expectedBytes) {
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
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName())
                    + "' stores its data externally but names no readable location");
        }
        Path base = baseDirectory.toAbsolutePath().normalize();
        Path file;
        try {
            file = base.resolve(location).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' has external data path '"
                    + Printable.of(location) + "', which is not a valid path");
        }
        try {
            Path realBase = base.toRealPath();
            Path real = Files.exists(file) ? file.toRealPath() : file;
            if (!file.startsWith(base) || !real.startsWith(realBase)) {
                throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName())
                        + "' has external data path '" + Printable.of(location) + "' outside the model's folder " + base);
            }
        } catch (IOException e) {
            throw new InvalidInputException(where + ": cannot resolve " + base + ": " + e.getMessage(), e);
        }
        if (length < 0) {
            length = expectedBytes;
        }
        if (length != expectedBytes) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' needs " + expectedBytes
                    + " bytes but its external data length is " + length);
        }
        if (length > MAX_TENSOR_BYTES) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' needs " + length
                    + " bytes; at most " + MAX_TENSOR_BYTES + " are read into one tensor");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "': cannot read external data "
                    + file + ": " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
        if (offset < 0 || offset + length > size) {
            throw new DataFormatException(file, offset, "external data of tensor '" + Printable.of(t.getName())
                    + "' needs " + length + " bytes from offset " + offset + " but the file has " + size);
        }
        return new ExternalData(file, offset, length);
    }

    private static byte[] readExternal(TensorProto t, Path baseDirectory, String where, long expectedBytes) {
        ExternalData data = external(t, baseDirectory, where, expectedBytes);
        try (RandomAccessFile in = new RandomAccessFile(data.file().toFile(), "r")) {
            byte[] bytes = new byte[(int) data.length()];
            in.seek(data.offset());
            in.readFully(bytes);
            return bytes;
        } catch (IOException e) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "': cannot read external data "
                    + data.file() + ": " + e.getMessage(), e);
        }
    }

    private static long parseLong(String text, String key, TensorProto t, String where) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": tensor '" + Printable.of(t.getName()) + "' has external data " + key
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
