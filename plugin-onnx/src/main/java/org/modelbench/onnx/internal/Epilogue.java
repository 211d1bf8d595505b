package org.modelbench.onnx.internal;

/**
 * What an inference plan folds into a convolution's output pass: its bias, the other operand of a
 * following same-shape Add (a residual connection) and a following Relu or Clip. Each element gets
 * the unfused nodes' own operations in their order, {@code v = acc + bias; v = v + residual;
 * v = activation(v)}, so the bits are those of the separate nodes.
 *
 * @param kind the activation
 * @param lo   Clip's lower bound (unused otherwise)
 * @param hi   Clip's upper bound (unused otherwise)
 */
record Epilogue(Kind kind, float lo, float hi) {
    /** The activations an output pass can apply: none, Relu ({@code v > 0 ? v : 0}), Clip ({@code min(max(v, lo), hi)}). */
    enum Kind { NONE, RELU, CLIP }

    /** No activation. */
    static final Epilogue NONE = new Epilogue(Kind.NONE, 0f, 0f);
    /** Relu. */
    static final Epilogue RELU = new Epilogue(Kind.RELU, 0f, 0f);

    Epilogue {
        java.util.Objects.requireNonNull(kind, "kind");
    }

    /** Clip to {@code [lo, hi]}, as the Clip kernel computes it. */
    static Epilogue clip(float lo, float hi) {
        return new Epilogue(Kind.CLIP, lo, hi);
    }

    /** The activation of one element (Relu maps NaN and -0 to +0, as the Relu kernel does). */
    float activate(float v) {
        return switch (kind) {
            case NONE -> v;
            case RELU -> v > 0 ? v : 0f;
            case CLIP -> Math.min(Math.max(v, lo), hi);
        };
    }

    /**
     * {@code y[off + i] = activate(y[off + i] (+ bias) (+ residual[resOff + i]))} for {@code i < len}.
     *
     * @param hasBias  whether to add {@code bias} (adding 0 would turn -0 into +0)
     * @param residual the residual addend, or null
     */
    void apply(float[] y, int off, int len, boolean hasBias, float bias, float[] residual, int resOff) {
        if (kind == Kind.NONE && !hasBias && residual == null) {
            return;
        }
        if (VectorSupport.AVAILABLE) {
            VectorLoops.epilogue(this, y, off, len, hasBias, bias, residual, resOff);
            return;
        }
        scalar(y, off, 0, len, hasBias, bias, residual, resOff);
    }

    /** The scalar loop of {@link #apply} over {@code [from, len)} (the vector loop's tail). */
    void scalar(float[] y, int off, int from, int len, boolean hasBias, float bias, float[] residual, int resOff) {
        for (int i = from; i < len; i++) {
            float v = y[off + i];
            if (hasBias) {
                v += bias;
            }
            if (residual != null) {
                v += residual[resOff + i];
            }
            y[off + i] = activate(v);
        }
    }
}
