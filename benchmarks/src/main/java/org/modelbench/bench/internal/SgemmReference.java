package org.modelbench.bench.internal;

import java.util.SplittableRandom;
import org.modelbench.engine.kernels.Sgemm;

/**
 * The in-process SGEMM reference: GFLOP/s of the engine's matrix multiply on a large square
 * problem ({@code size^3}), the peak the layers' achieved GFLOP/s are compared with: as the engine
 * uses it ({@link Sgemm#gemm}: OpenBLAS through the native path when selected), and the Java kernel
 * alone ({@link Sgemm#javaGemm}).
 */
final class SgemmReference {
    private final int size;
    private final int threads;
    private final float[] a;
    private final float[] b;
    private final float[] c;

    SgemmReference(int size, int threads) {
        this.size = size;
        this.threads = threads;
        SplittableRandom r = new SplittableRandom(1);
        a = new float[size * size];
        b = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
            b[i] = (float) r.nextDouble();
        }
        c = new float[size * size];
    }

    /** One {@code C = A B} with the engine's kernel: the FLOPs done. */
    long multiply() {
        Sgemm.gemm(false, false, size, size, size, a, 0, size, b, 0, size, c, 0, size, false, threads);
        return 2L * size * size * size;
    }

    /** One {@code C = A B} with the Java kernel: the FLOPs done. */
    long multiplyJava() {
        Sgemm.javaGemm(false, false, size, size, size, a, 0, size, b, 0, size, c, 0, size, false, threads);
        return 2L * size * size * size;
    }
}
