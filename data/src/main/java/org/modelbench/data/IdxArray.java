package org.modelbench.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * The content of an unsigned-byte IDX file.
 *
 * @param file   where it was read from
 * @param dims   the dimensions from the header, outermost first (MNIST images: {@code [N, 28, 28]})
 * @param values the values, row-major, one unsigned byte each (read with {@code & 0xFF})
 */
public record IdxArray(Path file, int[] dims, byte[] values) {

    /** Number of items: the first dimension. */
    public int count() {
        return dims[0];
    }

    /** Value {@code i} as an int in {@code [0, 255]}. */
    public int unsigned(int i) {
        return values[i] & 0xFF;
    }

    /**
     * The images as a float tensor {@code [N, 1, H, W]} of raw values 0..255 (for a rank-3 file), or
     * {@code [N, ...]} for other ranks.
     */
    public Tensor toImageTensor() {
        float[] data = new float[values.length];
        for (int i = 0; i < data.length; i++) {
            data[i] = values[i] & 0xFF;
        }
        Shape shape = dims.length == 3 ? Shape.of(dims[0], 1, dims[1], dims[2]) : Shape.of(dims);
        return Tensor.of(shape, data);
    }

    /** The values as ints (for label files). */
    public int[] toLabels() {
        int[] labels = new int[values.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = values[i] & 0xFF;
        }
        return labels;
    }

    @Override
    public String toString() {
        return file + " " + Arrays.toString(dims);
    }
}
