package org.modelbench.api;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first. Image batches are NCHW; per-sample shapes are CHW.
 *
 * @param dims each dimension, all {@code >= 1} (a rank-0 shape has no dimensions and size 1)
 */
public record Shape(int... dims) {

    /** Validates and copies {@code dims}; sizes above {@link Integer#MAX_VALUE} elements are refused. */
    public Shape {
        dims = dims.clone();
        long size = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " must be >= 1");
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
    }

    /** Shorthand for {@code new Shape(dims)}. */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i}; negative indices count from the end ({@code -1} is the last). */
    public int dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /** Total number of elements: the product of the dimensions. */
    public int size() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /** This shape with a leading batch dimension of {@code n}. */
    public Shape withBatch(int n) {
        int[] out = new int[dims.length + 1];
        out[0] = n;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return new Shape(out);
    }

    /** This shape without its leading (batch) dimension. */
    public Shape withoutBatch() {
        if (dims.length == 0) {
            throw new IllegalStateException("a rank-0 shape has no batch dimension");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** For example {@code 1x28x28}. */
    @Override
    public String toString() {
        if (dims.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append('x');
            }
            sb.append(dims[i]);
        }
        return sb.toString();
    }
}
