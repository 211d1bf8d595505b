package org.modelbench.onnx.internal;

import java.util.function.IntConsumer;
import org.modelbench.engine.kernels.Parallel;
import org.modelbench.engine.kernels.Sgemm;

/** Dense float matrix products (the engine's SGEMM) and a deterministic row-parallel loop. */
final class Blas {
    private Blas() {
    }

    /**
     * {@code C[m x n] (+)= op(A) op(B)} on row-major arrays with offsets, where {@code op(A)} is
     * {@code m x k} ({@code A} stored {@code k x m} when {@code transA}) and {@code op(B)} is {@code k x n}
     * ({@code B} stored {@code n x k} when {@code transB}). {@code C} is overwritten unless {@code accumulate}.
     * The engine's Java SGEMM ({@link Sgemm#javaGemm}: the Vector API kernel when the JVM has it), so every
     * element sums over {@code p} in order with fused multiply-adds, whatever the thread count, and a row or
     * column of C never depends on the others: the interpreter's kernels rely on it (samples side by side in
     * one product, direct and im2col convolutions that agree bit for bit, passes sized from a memory budget).
     * {@link #shapedGemm} (OpenBLAS where it is faster) rounds by the shape instead.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                     float[] c, int cOff, boolean accumulate, int threads) {
        Sgemm.javaGemm(transA, transB, m, n, k, a, aOff, transA ? m : k, b, bOff, transB ? k : n, c, cOff, n,
                accumulate, threads);
    }

    /**
     * {@code C = A B} (no transposes) into rows of {@code C} {@code ldc} apart: a band of columns of a wider C.
     * On the Java SGEMM, as {@link #gemm}: a band's columns get the bits the whole product would give them.
     */
    static void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int threads) {
        Sgemm.javaGemm(false, false, m, n, k, a, aOff, k, b, bOff, n, c, cOff, ldc, false, threads);
    }

    /**
     * {@link #gemm} on the engine's fastest SGEMM ({@link Sgemm#gemm}: OpenBLAS where it is selected),
     * for training products whose bits may depend on the product's shape (but never on the thread
     * count): a row or column of C may round differently with m or n, so a sample's result may depend
     * on its batch. The training steps' convolution and dense products run here.
     */
    static void shapedGemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                           float[] c, int cOff, boolean accumulate, int threads) {
        Sgemm.gemm(transA, transB, m, n, k, a, aOff, transA ? m : k, b, bOff, transB ? k : n, c, cOff, n,
                accumulate, threads);
    }

    /**
     * Whether inference convolutions run one product per sample (and group) on {@link #convGemm}: when
     * OpenBLAS is selected ({@link Sgemm#nativeBlas()}). Such a product's shape is fixed by the layer (never by
     * the batch), so OpenBLAS, whose bits depend on the shape alone, keeps a sample's result independent of its
     * batch and of the thread count. Without OpenBLAS, convolutions stay on {@link #gemm}.
     */
    static boolean convPerSample() {
        return Sgemm.nativeBlas();
    }

    /**
     * Output planes of fewer positions than this stay on the Java kernel, samples side by side: one sample's
     * product would be too thin for OpenBLAS. A rule of the layer and the OpenBLAS core (which provenance records):
     * <ul>
     *   <li>64 on AVX2 cores (measured 2026-12-02 on a Zen 3 host, OpenBLAS's Zen core, under load 8-10 by CPU time
     *       per batch at 1 thread: ResNet-18 at 112x112 took 15% less with its 7x7 and 4x4 planes on the Java kernel
     *       than on per-sample OpenBLAS, 25% more with its 14x14 ones there too; VGG16's 9x9 block 5 is faster per
     *       sample);</li>
     *   <li>1 on OpenBLAS's AVX-512 cores (SkylakeX, Cooperlake, SapphireRapids): per-sample OpenBLAS is faster on
     *       every plane (an Emerald Rapids host, SkylakeX, quiet, 2026-12-02 17:03, onnx bench batch 8, 2 threads,
     *       native/ORT alternating runs: ResNet-18 0.57 and 0.63 at 64, 0.82 and 0.82 at 1; MobileNetV2 0.70 and
     *       0.68 at 64, 0.76 and 0.82 at 1).</li>
     * </ul>
     */
    static final int CONV_MIN_PLANE = convPerSample() && avx512Core(Sgemm.kernelName()) ? 1 : 64;

    /** Whether {@code kernel} ({@link Sgemm#kernelName()}) is one of OpenBLAS's AVX-512 cores. */
    static boolean avx512Core(String kernel) {
        return kernel.matches("openblas \\S+ (SkylakeX|Cooperlake|SapphireRapids)");
    }

    /**
     * Whether a convolution with {@code outPlane} output positions per sample runs per sample on OpenBLAS
     * ({@link #convPerSample()} and at least {@link #CONV_MIN_PLANE} positions): a rule of the layer and the core.
     */
    static boolean convPerSample(int outPlane) {
        return convPerSample() && outPlane >= CONV_MIN_PLANE;
    }

    /**
     * {@code C = A B} (no transposes, strides {@code ldb} and {@code ldc}) for one sample's convolution (a shape
     * the layer fixes): with {@code perSample} ({@link #convPerSample(int)}) on {@link Sgemm#gemm} (OpenBLAS for {@code m * n * k >=}
     * {@value Sgemm#NATIVE_MIN_WORK}, else the Java kernel: a rule of the shape alone, so the bits depend on the
     * shape, never on the batch or the thread count), else on the Java kernel as {@link #gemm}.
     */
    static void convGemm(boolean perSample, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, int threads) {
        if (perSample) {
            Sgemm.gemm(false, false, m, n, k, a, aOff, k, b, bOff, ldb, c, cOff, ldc, false, threads);
        } else {
            Sgemm.javaGemm(false, false, m, n, k, a, aOff, k, b, bOff, ldb, c, cOff, ldc, false, threads);
        }
    }

    /**
     * The kernels of inference, for cache keys and provenance: {@code "conv per sample on <Sgemm.provenance()> for
     * output planes >= 64, other products java"} or {@code "java"}, then {@code "; "} and {@link WinogradConv#rule()}
     * with the kernel of its products.
     */
    static String inferenceKernels() {
        String winograd = "; " + WinogradConv.rule() + ", its products on " + (convPerSample() ? Sgemm.provenance()
                : "java");
        return (convPerSample() ? "conv per sample on " + Sgemm.provenance() + " for output planes >= " + CONV_MIN_PLANE
                + ", other products java" : "java") + winograd;
    }

    /** A matrix product with the signature of {@link #gemm}. */
    interface Product {
        void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                  float[] c, int cOff, boolean accumulate, int threads);
    }

    /**
     * The product a kernel's pass runs: {@link #shapedGemm} in a training step (the node learns:
     * {@code Kernel.Context.training()}), else {@link #gemm} (inference and gradients for
     * interpretation, where a sample's result must not depend on its batch).
     */
    static Product product(boolean training) {
        return training ? Blas::shapedGemm : Blas::gemm;
    }

    /**
     * Runs {@code body} for rows {@code [0, rows)}, split into one contiguous range per thread when
     * {@code work} is large, on the engine's pool of that many threads ({@link Parallel}; inside it,
     * serially).
     */
    static void parallelRows(int rows, int threads, long work, IntConsumer body) {
        int parts = Math.min(threads, rows);
        if (parts <= 1 || work < 200_000) {
            for (int i = 0; i < rows; i++) {
                body.accept(i);
            }
            return;
        }
        Parallel.forEach(parts, parts, t -> {
            int from = (int) ((long) rows * t / parts);
            int to = (int) ((long) rows * (t + 1) / parts);
            for (int i = from; i < to; i++) {
                body.accept(i);
            }
        });
    }
}
