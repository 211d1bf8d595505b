package org.modelbench.onnx.internal;

import java.util.Arrays;

/**
 * An ONNX tensor value inside the native interpreter: dimensions (rank 0 and zero-sized
 * dimensions allowed, unlike {@link org.modelbench.api.Shape}) and row-major data, either floating
 * point ({@code float[]}, for ONNX FLOAT, DOUBLE and FLOAT16) or integral ({@code long[]}, for the
 * integer types and BOOL). {@code elementType} is the ONNX {@code TensorProto.DataType} number kept
 * so that outputs are written back with their declared type.
 *
 * <p>The arrays are shared, not copied: treat a value as immutable once built.
 */
public final class Value {
    /** ONNX data type numbers used here. */
    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;
    public static final int DOUBLE = 11;

    private final int[] dims;
    private final float[] floats;
    private final long[] longs;
    private final int elementType;

    private Value(int[] dims, float[] floats, long[] longs, int elementType) {
        long size = size(dims);
        int length = floats != null ? floats.length : longs.length;
        if (size != length) {
            throw new IllegalArgumentException("a value of dims " + Arrays.toString(dims) + " needs " + size
                    + " elements, got " + length);
        }
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
        this.elementType = elementType;
    }

    /** A FLOAT value wrapping {@code data}. */
    public static Value floats(int[] dims, float[] data) {
        return new Value(dims.clone(), data, null, FLOAT);
    }

    /** A floating-point value with an explicit ONNX element type (FLOAT, DOUBLE, FLOAT16). */
    public static Value floats(int[] dims, float[] data, int elementType) {
        return new Value(dims.clone(), data, null, elementType);
    }

    /** An INT64 value wrapping {@code data}. */
    public static Value longs(int[] dims, long[] data) {
        return new Value(dims.clone(), null, data, INT64);
    }

    /** An integral value with an explicit ONNX element type (INT32, INT64, BOOL ...). */
    public static Value longs(int[] dims, long[] data, int elementType) {
        return new Value(dims.clone(), null, data, elementType);
    }

    /** A zero-filled FLOAT value. */
    public static Value zeros(int[] dims) {
        return floats(dims, new float[Math.toIntExact(size(dims))]);
    }

    /** A 1-D INT64 value. */
    public static Value vector(long... values) {
        return longs(new int[] {values.length}, values);
    }

    public static long size(int[] dims) {
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            size *= d;
        }
        return size;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int dim(int axis) {
        return dims[axis < 0 ? dims.length + axis : axis];
    }

    public int rank() {
        return dims.length;
    }

    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    public int elementType() {
        return elementType;
    }

    public boolean isFloating() {
        return floats != null;
    }

    /** The float data; throws for an integral value. */
    public float[] floatData() {
        if (floats == null) {
            throw new UnsupportedFeatureException("expected a floating-point tensor, got "
                    + TensorProtos.typeName(elementType));
        }
        return floats;
    }

    /** The integral data; throws for a floating-point value. */
    public long[] longData() {
        if (longs == null) {
            throw new IllegalStateException("expected an integer tensor, got ONNX type " + elementType);
        }
        return longs;
    }

    /** The elements as longs (floating values truncated toward zero). */
    public long[] asLongs() {
        if (longs != null) {
            return longs;
        }
        long[] out = new long[floats.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) floats[i];
        }
        return out;
    }

    /** The elements as floats. */
    public float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[longs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs[i];
        }
        return out;
    }

    /** The same data with other dimensions of equal size. */
    public Value reshape(int[] newDims) {
        return new Value(newDims.clone(), floats, longs, elementType);
    }

    /** The single element of a one-element value, as a double. */
    public double scalar() {
        if (size() != 1) {
            throw new IllegalStateException("expected a single element, got dims " + Arrays.toString(dims));
        }
        return floats != null ? floats[0] : longs[0];
    }

    @Override
    public String toString() {
        return "Value" + Arrays.toString(dims) + "(type " + elementType + ")";
    }
}
