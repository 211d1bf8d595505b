package org.modelbench.onnx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Dense float matrix products and a deterministic row-parallel loop. */
final class Blas {
    private Blas() {
    }

    /**
     * {@code C[m x n] (+)= op(A) op(B)} on row-major arrays with offsets, where {@code op(A)} is
     * {@code m x k} ({@code A} stored {@code k x m} when {@code transA}) and {@code op(B)} is {@code k x n}
     * ({@code B} stored {@code n x k} when {@code transB}). {@code C} is overwritten unless {@code accumulate}.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate, int threads) {
        float[] bt = b;
        int btOff = bOff;
        if (transB) {
            // Row-major k x n copy of B so that the inner loop runs over contiguous memory.
            bt = new float[k * n];
            btOff = 0;
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bt[p * n + j] = b[bOff + j * k + p];
                }
            }
        }
        final float[] bb = bt;
        final int bo = btOff;
        // Blocks of four rows share each loaded row of B; every element still sums over p in order,
        // so the result does not depend on the blocking or the thread count.
        int blocks = (m + 3) / 4;
        parallelRows(blocks, threads, (long) m * n * k, block -> {
            int i0 = block * 4;
            int rows = Math.min(4, m - i0);
            if (!accumulate) {
                java.util.Arrays.fill(c, cOff + i0 * n, cOff + (i0 + rows) * n, 0f);
            }
            if (rows < 4) {
                for (int i = i0; i < i0 + rows; i++) {
                    int ci = cOff + i * n;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        int bi = bo + p * n;
                        for (int j = 0; j < n; j++) {
                            c[ci + j] += av * bb[bi + j];
                        }
                    }
                }
                return;
            }
            // Zero-based row accumulators (and a zero-based copy of each row of B) let the JIT
            // vectorise the inner loop; the sums are the same, in the same order.
            int c0 = cOff + i0 * n;
            float[] r0 = java.util.Arrays.copyOfRange(c, c0, c0 + n);
            float[] r1 = java.util.Arrays.copyOfRange(c, c0 + n, c0 + 2 * n);
            float[] r2 = java.util.Arrays.copyOfRange(c, c0 + 2 * n, c0 + 3 * n);
            float[] r3 = java.util.Arrays.copyOfRange(c, c0 + 3 * n, c0 + 4 * n);
            float[] row = new float[n];
            for (int p = 0; p < k; p++) {
                float a0 = transA ? a[aOff + p * m + i0] : a[aOff + i0 * k + p];
                float a1 = transA ? a[aOff + p * m + i0 + 1] : a[aOff + (i0 + 1) * k + p];
                float a2 = transA ? a[aOff + p * m + i0 + 2] : a[aOff + (i0 + 2) * k + p];
                float a3 = transA ? a[aOff + p * m + i0 + 3] : a[aOff + (i0 + 3) * k + p];
                System.arraycopy(bb, bo + p * n, row, 0, n);
                for (int j = 0; j < n; j++) {
                    float bv = row[j];
                    r0[j] += a0 * bv;
                    r1[j] += a1 * bv;
                    r2[j] += a2 * bv;
                    r3[j] += a3 * bv;
                }
            }
            System.arraycopy(r0, 0, c, c0, n);
            System.arraycopy(r1, 0, c, c0 + n, n);
            System.arraycopy(r2, 0, c, c0 + 2 * n, n);
            System.arraycopy(r3, 0, c, c0 + 3 * n, n);
        });
    }

    /** Runs {@code body} for rows {@code [0, rows)}, split over threads when {@code work} is large. */
    static void parallelRows(int rows, int threads, long work, IntConsumer body) {
        int parts = Math.min(threads, rows);
        if (parts <= 1 || work < 200_000) {
            for (int i = 0; i < rows; i++) {
                body.accept(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < parts; t++) {
            int from = (int) ((long) rows * t / parts);
            int to = (int) ((long) rows * (t + 1) / parts);
            futures.add(ForkJoinPool.commonPool().submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}
