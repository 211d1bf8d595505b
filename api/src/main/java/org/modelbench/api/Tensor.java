package org.modelbench.api;

import java.util.Arrays;

/**
 * A dense float32 tensor: a {@link Shape} and a row-major {@code float[]} of exactly
 * {@code shape.size()} elements. Image batches are NCHW.
 *
 * <p>A tensor owns its array and exposes it through {@link #data()} without copying, so that
 * engines can compute in place; code that hands a tensor to someone else and keeps using the
 * array must {@link #copy()} it first.
 */
public final class Tensor {
    private final Shape shape;
    private final float[] data;

    private Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.size()
                    + " values, got " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    public static Tensor of(Shape shape, float[] data) {
        return new Tensor(shape, data);
    }

    /** A zero-filled tensor. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(shape, new float[shape.size()]);
    }

    public Shape shape() {
        return shape;
    }

    /** The backing array (not a copy). */
    public float[] data() {
        return data;
    }

    /** Size of the leading dimension (the batch size for a batch). */
    public int batchSize() {
        return shape.dim(0);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The same values viewed with another shape of equal size (shares the array). */
    public Tensor reshape(Shape newShape) {
        return new Tensor(newShape, data);
    }

    /** Rows {@code [from, to)} of the leading dimension, copied. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape.dim(0) || from >= to) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") of " + shape);
        }
        int stride = shape.size() / shape.dim(0);
        int[] dims = shape.dims();
        dims[0] = to - from;
        return new Tensor(new Shape(dims), Arrays.copyOfRange(data, from * stride, to * stride));
    }

    /** The rows at {@code indices} of the leading dimension, copied in that order. */
    public Tensor gather(int[] indices) {
        int stride = shape.size() / shape.dim(0);
        float[] out = new float[indices.length * stride];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data, indices[i] * stride, out, i * stride, stride);
        }
        int[] dims = shape.dims();
        dims[0] = indices.length;
        return new Tensor(new Shape(dims), out);
    }

    /** The element at a full index. */
    public float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the element at a full index. */
    public void set(float value, int... index) {
        data[offset(index)] = value;
    }

    private int offset(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + shape);
        }
        int offset = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + shape);
            }
            offset = offset * shape.dim(i) + index[i];
        }
        return offset;
    }

    /**
     * For a rank-2 tensor {@code [N, K]}: the column of the largest value in each row (ties go to the
     * lowest index).
     */
    public int[] argmaxRows() {
        if (shape.rank() != 2) {
            throw new IllegalStateException("argmaxRows needs a rank-2 tensor, got " + shape);
        }
        int n = shape.dim(0);
        int k = shape.dim(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (data[i * k + j] > data[i * k + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Same shape and bit-identical values. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && shape.equals(t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + shape + "]";
    }
}
