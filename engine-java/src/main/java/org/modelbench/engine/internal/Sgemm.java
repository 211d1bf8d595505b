package org.modelbench.engine.internal;

/**
 * The one single-precision matrix multiply of the engine: {@code C (+)= op(A) * op(B)} on row-major
 * {@code float[]} slices. Every matmul of every layer goes through here, so a faster kernel (Vector
 * API, BLAS) can replace it in one place.
 *
 * <p>Shapes: {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is
 * {@code m x n}. With {@code transA}, {@code A} is stored {@code k x m}; with {@code transB},
 * {@code B} is stored {@code n x k}. {@code lda/ldb/ldc} are row strides.
 *
 * <p>Determinism: each element of C is accumulated in the same fixed order (k-blocks ascending,
 * four k at a time) whatever the thread count; threads only split the rows of C.
 */
public final class Sgemm {
    private static final int KC = 128;
    private static final int NC = 512;
    private static final int ROWS_PER_TASK = 16;

    private Sgemm() {
    }

    /**
     * Computes {@code C = op(A) * op(B)} ({@code accumulate == false}) or {@code C += op(A) * op(B)}.
     *
     * @param threads rows of C are split over at most this many threads
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
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
            kernel(transA, i0, i1, n, k, a, aOff, lda, rows, c, cOff, ldc);
        });
    }

    private static void kernel(boolean transA, int i0, int i1, int n, int k, float[] a, int aOff, int lda,
                               float[][] rows, float[] c, int cOff, int ldc) {
        float[][] acc = new float[i1 - i0][n];
        for (int i = i0; i < i1; i++) {
            System.arraycopy(c, cOff + i * ldc, acc[i - i0], 0, n);
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int k1 = Math.min(k, k0 + KC);
            for (int j0 = 0; j0 < n; j0 += NC) {
                int j1 = Math.min(n, j0 + NC);
                for (int i = i0; i < i1; i++) {
                    float[] ci = acc[i - i0];
                    int p = k0;
                    for (; p + 3 < k1; p += 4) {
                        float a0 = at(transA, a, aOff, lda, i, p);
                        float a1 = at(transA, a, aOff, lda, i, p + 1);
                        float a2 = at(transA, a, aOff, lda, i, p + 2);
                        float a3 = at(transA, a, aOff, lda, i, p + 3);
                        if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
                            continue;
                        }
                        float[] b0 = rows[p];
                        float[] b1 = rows[p + 1];
                        float[] b2 = rows[p + 2];
                        float[] b3 = rows[p + 3];
                        for (int j = j0; j < j1; j++) {
                            ci[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                        }
                    }
                    for (; p < k1; p++) {
                        float a0 = at(transA, a, aOff, lda, i, p);
                        if (a0 == 0f) {
                            continue;
                        }
                        float[] b0 = rows[p];
                        for (int j = j0; j < j1; j++) {
                            ci[j] += a0 * b0[j];
                        }
                    }
                }
            }
        }
        for (int i = i0; i < i1; i++) {
            System.arraycopy(acc[i - i0], 0, c, cOff + i * ldc, n);
        }
    }

    private static float at(boolean transA, float[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }
}
