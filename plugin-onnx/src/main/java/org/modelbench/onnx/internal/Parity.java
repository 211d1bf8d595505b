package org.modelbench.onnx.internal;

import java.util.Arrays;

/**
 * The agreement measure between two tensors: {@code max|a - b| / max|b|} ({@code b} is the
 * reference; the plain maximum difference when the reference is all zeros). Integer tensors must
 * match exactly (error 0 or 1); a dims mismatch is infinite.
 */
public final class Parity {
    /** The tolerance the import must meet against its reference. */
    public static final double TOLERANCE = 1e-4;

    private Parity() {
    }

    public static double relativeError(Value actual, Value reference) {
        if (!Arrays.equals(actual.dims(), reference.dims())) {
            return Double.POSITIVE_INFINITY;
        }
        if (!reference.isFloating() && !actual.isFloating()) {
            return Arrays.equals(actual.longData(), reference.longData()) ? 0 : 1;
        }
        float[] a = actual.asFloats();
        float[] b = reference.asFloats();
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            boolean bothNaN = Float.isNaN(a[i]) && Float.isNaN(b[i]);
            boolean sameInf = Float.isInfinite(b[i]) && a[i] == b[i];
            if (bothNaN || sameInf) {
                continue;
            }
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            maxDiff = Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
