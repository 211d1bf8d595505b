package org.modelbench.onnx.internal;

import org.modelbench.engine.kernels.Sgemm;

/**
 * Whether the interpreter runs its {@link VectorLoops}: the Vector API resolves and the engine uses it
 * (so {@code -Dmodelbench.engine.vector=false} turns both off). Kept apart from {@link VectorLoops} so
 * that asking never loads a class that needs {@code jdk.incubator.vector}.
 */
final class VectorSupport {
    /** Whether {@link VectorLoops} may be called. */
    static final boolean AVAILABLE = probe();
    /** Floats per vector (1 without the Vector API). */
    static final int VL = AVAILABLE ? VectorLoops.lanes() : 1;

    private VectorSupport() {
    }

    private static boolean probe() {
        if (!Sgemm.vectorized()) {
            return false;
        }
        try {
            return VectorLoops.lanes() >= 4;
        } catch (LinkageError e) {
            return false;
        }
    }
}
