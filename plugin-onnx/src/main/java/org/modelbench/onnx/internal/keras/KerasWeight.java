package org.modelbench.onnx.internal.keras;

import java.util.Arrays;

/**
 * A weight tensor of a Keras model, dequantized to float32.
 *
 * @param name  the manifest name, e.g. {@code Conv1/kernel}
 * @param shape Keras' shape (for a Conv2D kernel {@code [kh, kw, in, out]})
 * @param data  row-major values
 */
public record KerasWeight(String name, int[] shape, float[] data) {
    public KerasWeight {
        shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("weight " + name + ": shape " + Arrays.toString(shape) + " needs " + size
                    + " values, got " + data.length);
        }
    }

    /** The number of values. */
    public int size() {
        return data.length;
    }
}
