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
        parallelRows(m, threads, (long) m * n * k, i -> {
            int ci = cOff + i * n;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (av == 0f) {
                    continue;
                }
                int bi = bo + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * bb[bi + j];
                }
            }
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
