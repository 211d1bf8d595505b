package org.modelbench.engine.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the element-wise loops that dominate the engine's memory traffic, with
 * exactly the scalar semantics of {@link Elementwise} (NaN included), lane by lane.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {
    }

    /** {@code x[i] = x[i] + bias}, then ReLU ({@code v > 0 ? v : 0}). */
    static void biasRelu(float[] x, int off, int len, float bias) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, off + i).add(bias);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(x, off + i);
        }
        for (; i < len; i++) {
            float v = x[off + i] + bias;
            x[off + i] = v > 0 ? v : 0f;
        }
    }

    /** {@code dst[dstOff + i] += src[srcOff + i]}: full vectors, then scalars. */
    static void addInto(float[] src, int srcOff, float[] dst, int dstOff, int len) {
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            FloatVector.fromArray(S, dst, dstOff + i).add(FloatVector.fromArray(S, src, srcOff + i))
                    .intoArray(dst, dstOff + i);
        }
        for (; i < len; i++) {
            dst[dstOff + i] += src[srcOff + i];
        }
    }

    /** {@code g[i] = y[i] > 0 ? g[i] : 0}. */
    static void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int upper = S.loopBound(len); i < upper; i += S.length()) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, g, gOff + i), on).intoArray(g, gOff + i);
        }
        for (; i < len; i++) {
            g[gOff + i] = y[yOff + i] > 0 ? g[gOff + i] : 0f;
        }
    }
}
