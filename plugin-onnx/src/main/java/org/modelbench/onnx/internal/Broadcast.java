package org.modelbench.onnx.internal;

import java.util.Arrays;

/** Numpy-style (multidirectional) broadcasting of two shapes, as ONNX's binary operators use. */
final class Broadcast {
    final int[] outDims;
    /** For each output element, the element index into each operand. */
    final int[] indexA;
    final int[] indexB;

    private Broadcast(int[] outDims, int[] indexA, int[] indexB) {
        this.outDims = outDims;
        this.indexA = indexA;
        this.indexB = indexB;
    }

    /** The broadcast of {@code a} and {@code b}, or an IllegalArgumentException if they do not broadcast. */
    static Broadcast of(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        int[] pa = pad(a, rank);
        int[] pb = pad(b, rank);
        for (int i = 0; i < rank; i++) {
            if (pa[i] == pb[i] || pb[i] == 1) {
                out[i] = pa[i];
            } else if (pa[i] == 1) {
                out[i] = pb[i];
            } else {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
        }
        return new Broadcast(out, map(pa, out), map(pb, out));
    }

    static int[] pad(int[] dims, int rank) {
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        System.arraycopy(dims, 0, out, rank - dims.length, dims.length);
        return out;
    }

    /** For each element of {@code out}, the index of the element of {@code in} it reads (broadcast dims repeat). */
    static int[] map(int[] in, int[] out) {
        int size = (int) Value.size(out);
        int rank = out.length;
        int[] strides = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            strides[i] = in[i] == 1 ? 0 : s;
            s *= in[i];
        }
        int[] index = new int[size];
        int[] counter = new int[rank];
        int offset = 0;
        for (int e = 0; e < size; e++) {
            index[e] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                counter[d]++;
                offset += strides[d];
                if (counter[d] < out[d]) {
                    break;
                }
                offset -= strides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return index;
    }

    /** Sums {@code grad} (of the output shape) back onto an operand of {@code dims} read through {@code index}. */
    static Value reduce(float[] grad, int[] index, int[] dims) {
        float[] out = new float[(int) Value.size(dims)];
        for (int e = 0; e < grad.length; e++) {
            out[index[e]] += grad[e];
        }
        return Value.floats(dims, out);
    }
}
