package org.modelbench.engine.kernels;

/**
 * The one single-precision matrix multiply of the engine: {@code C (+)= op(A) * op(B)} on row-major
 * {@code float[]} slices. Every matmul of every layer goes through here, so a faster kernel (Vector
 * API, BLAS) can replace it in one place.
 *
 * <p>Shapes: {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is
 * {@code m x n}. With {@code transA}, {@code A} is stored {@code k x m}; with {@code transB},
 * {@code B} is stored {@code n x k}. {@code lda/ldb/ldc} are row strides.
 *
 * <p>Kernels: the Vector API kernels ({@link VectorSgemm}: packed panels, a register tile and cache
 * blocks chosen for the machine, see {@link #tiling()}, for large products; {@link InPlaceSgemm}
 * for small and thin ones) when {@code jdk.incubator.vector} is
 * available and the system property {@code modelbench.engine.vector} is not {@code false}; else a
 * scalar kernel.
 *
 * <p>Determinism: each element of C is {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending in
 * both kernels (so they agree bit for bit), whatever the vector width, the tiling or the thread
 * count; threads only split rows and columns of C.
 */
public final class Sgemm {
    private static final int ROWS_PER_TASK = 16;
    private static final boolean VECTOR = vectorAvailable();

    private Sgemm() {
    }

    private static boolean vectorAvailable() {
        if ("false".equals(System.getProperty("modelbench.engine.vector"))) {
            return false;
        }
        try {
            return VectorSgemm.VL >= 4;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether {@link #gemm} runs the Vector API kernel (element-wise loops may follow the same choice). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** The kernel in use: {@code "vector-<bits>"} or {@code "scalar"}. */
    public static String kernelName() {
        return VECTOR ? "vector-" + VectorSgemm.VL * 32 : "scalar";
    }

    /** The Vector API kernel's tiling on this machine, or {@code null} for the scalar kernel. */
    public static SgemmTiling tiling() {
        return VECTOR ? VectorSgemm.TILING : null;
    }

    /** The kernel and its tiling in one line, for reports and provenance: {@code "vector-512 packed 6x4v kc384 mc168 nc4096 (...), else in place 4x4v"}. */
    public static String describe() {
        return VECTOR ? kernelName() + " packed " + VectorSgemm.TILING + " (min(m,n) >= 128, max(m,n) >= 512, k >= 128),"
                + " else in place 4x4v" : kernelName();
    }

    /**
     * Computes {@code C = op(A) * op(B)} ({@code accumulate == false}) or {@code C += op(A) * op(B)}.
     *
     * @param threads rows and columns of C are split over at most this many threads
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (VECTOR && m > 0 && n > 0 && k > 0) {
            VectorSgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
            return;
        }
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        scalar(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, threads);
    }

    /**
     * {@link #gemm} on the packed Vector API kernel with a given tiling, whatever the shape (for
     * benchmarks and tests that compare tilings: every tiling gives the same bits).
     *
     * @throws IllegalStateException without the Vector API
     */
    public static void packed(SgemmTiling tiling, boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (!VECTOR) {
            throw new IllegalStateException("the packed kernel needs the Vector API (jdk.incubator.vector)");
        }
        if (m > 0 && n > 0 && k > 0) {
            VectorSgemm.gemm(tiling, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    threads);
        }
    }

    /** {@link #gemm} on the in-place Vector API kernel whatever the shape (benchmarks compare it with the packed one). */
    public static void inPlace(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (!VECTOR) {
            throw new IllegalStateException("the in-place kernel needs the Vector API (jdk.incubator.vector)");
        }
        if (m > 0 && n > 0 && k > 0) {
            InPlaceSgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
        }
    }

    /** The scalar kernel ({@code C += op(A) * op(B)}), also the reference the vector kernel is tested against. */
    public static void scalar(boolean transA, boolean transB, int m, int n, int k,
                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                       float[] c, int cOff, int ldc, int threads) {
        // Pack op(B) into one array per row, indexed from 0 like the accumulator row: with every
        // array of the inner loop read at the same index, the JIT can vectorise it (no aliasing doubt).
        float[][] rows = new float[k][n];
        for (int p = 0; p < k; p++) {
            float[] row = rows[p];
            if (transB) {
                for (int j = 0; j < n; j++) {
                    row[j] = b[bOff + j * ldb + p];
                }
            } else {
                System.arraycopy(b, bOff + p * ldb, row, 0, n);
            }
        }
        int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        long work = (long) m * n * k;
        int useThreads = work < 32_768 ? 1 : threads;
        Parallel.forEach(tasks, useThreads, t -> {
            int i0 = t * ROWS_PER_TASK;
            int i1 = Math.min(m, i0 + ROWS_PER_TASK);
            float[] ci = new float[n];
            for (int i = i0; i < i1; i++) {
                System.arraycopy(c, cOff + i * ldc, ci, 0, n);
                for (int p = 0; p < k; p++) {
                    float ap = at(transA, a, aOff, lda, i, p);
                    float[] bp = rows[p];
                    for (int j = 0; j < n; j++) {
                        ci[j] = Math.fma(ap, bp[j], ci[j]);
                    }
                }
                System.arraycopy(ci, 0, c, cOff + i * ldc, n);
            }
        });
    }

    private static float at(boolean transA, float[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }
}
