package org.modelbench.bench.internal;

import java.util.SplittableRandom;
import org.modelbench.engine.internal.Sgemm;

/**
 * The in-process SGEMM reference: GFLOP/s of the engine's matrix multiply on a large square
 * problem ({@code size^3}), the peak the layers' achieved GFLOP/s are compared with.
 */
final class SgemmReference {
    private SgemmReference() {
    }

    static double gflops(int size, int threads, double seconds) {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[size * size];
        float[] b = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) r.nextDouble();
        }
        float[] c = new float[size * size];
        long flops = 2L * size * size * size;
        return Timing.rate(seconds, 3, () -> {
            Sgemm.gemm(false, false, size, size, size, a, 0, size, b, 0, size, c, 0, size, false, threads);
            return flops;
        }) / 1e9;
    }
}
