package org.modelbench.engine.kernels;

import java.util.Locale;

/**
 * The one single-precision matrix multiply of the engine: {@code C (+)= op(A) * op(B)} on row-major
 * {@code float[]} slices. Every matmul of every layer goes through here, so a faster kernel (Vector
 * API, BLAS) can replace it in one place.
 *
 * <p>Shapes: {@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, {@code C} is
 * {@code m x n}. With {@code transA}, {@code A} is stored {@code k x m}; with {@code transB},
 * {@code B} is stored {@code n x k}. {@code lda/ldb/ldc} are row strides.
 *
 * <p>Kernels: the system property {@value #BLAS_PROPERTY} ({@code auto}, the default, {@code openblas}
 * or {@code java}; the launcher sets it from {@code MODELBENCH_BLAS}) chooses between OpenBLAS
 * ({@link NativeBlas}, when the engine was built with it and it loads) and the Java kernels. With
 * OpenBLAS, products of at least {@value #NATIVE_MIN_WORK} multiply-adds ({@code m * n * k}) run on it
 * and smaller ones on the Java in-place kernel, where the call's fixed cost outweighs OpenBLAS's speed
 * ({@code SgemmBenchmark} measures both). The Java kernels: the Vector API kernels ({@link VectorSgemm}:
 * packed panels, a register tile and cache blocks chosen for the machine, see {@link #tiling()}, for
 * large products; {@link InPlaceSgemm} for small and thin ones) when {@code jdk.incubator.vector} is
 * available and the system property {@code modelbench.engine.vector} is not {@code false}; else a
 * scalar kernel.
 *
 * <p>Determinism: each element of C is {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending in
 * every Java kernel (so they agree bit for bit), whatever the vector width, the tiling or the thread
 * count; threads only split rows and columns of C. OpenBLAS sums in its own order (its bits differ from
 * the Java kernels' in the last places) but splits only rows and columns of C over threads, so with it
 * the bits depend on the shape, the machine's OpenBLAS core ({@link #provenance()} names it) and nothing
 * else: not on the thread count. Unlike the Java kernels', OpenBLAS's row {@code i} of C may change in
 * the last bits with m (and a column with n): callers that need a sample's result independent of its
 * batch call {@link #javaGemm}.
 */
public final class Sgemm {
    /** The system property that selects the kernel: {@code auto}, {@code openblas} or {@code java}. */
    public static final String BLAS_PROPERTY = "modelbench.engine.blas";
    /**
     * The smallest product ({@code m * n * k}) that runs on OpenBLAS when it is selected; smaller ones run
     * the Java in-place kernel (a fixed shape rule, so the bits depend on the shape only).
     */
    public static final long NATIVE_MIN_WORK = 1_024;
    private static final int ROWS_PER_TASK = 16;
    private static final boolean VECTOR = vectorAvailable();
    private static final Selection SELECTION = Selection.parse(System.getProperty(BLAS_PROPERTY, "auto"));
    private static final boolean NATIVE = nativeSelected();
    /** Set when {@code openblas} is selected but not loaded: {@link #gemm} then fails with it. */
    private static final String MISSING = SELECTION == Selection.OPENBLAS && !NATIVE
            ? BLAS_PROPERTY + "=openblas, but the native BLAS path is " + nativeStatus() : null;

    private Sgemm() {
    }

    /** What {@value #BLAS_PROPERTY} asks for. */
    private enum Selection {
        AUTO, OPENBLAS, JAVA;

        static Selection parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "", "auto" -> AUTO;
                case "openblas" -> OPENBLAS;
                case "java" -> JAVA;
                default -> throw new IllegalArgumentException(BLAS_PROPERTY + ": expected auto, openblas or java, got '"
                        + value + "'");
            };
        }
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

    /** Loads the native path unless {@code java} is selected; {@code auto} says once on stderr why it is not there. */
    private static boolean nativeSelected() {
        if (SELECTION == Selection.JAVA) {
            return false;
        }
        NativeBlas.Status status = NativeBlas.status();
        if (!status.loaded() && SELECTION == Selection.AUTO) {
            System.err.println("modelbench: native BLAS path unavailable (" + status.why() + "); the engine runs its "
                    + "Java SGEMM");
        }
        return status.loaded();
    }

    /** Whether the Java kernel is the Vector API one (element-wise loops may follow the same choice). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** Whether {@link #gemm} runs OpenBLAS (for products of at least {@link #NATIVE_MIN_WORK}). */
    public static boolean nativeBlas() {
        return NATIVE;
    }

    /**
     * The native path on this machine, whether selected or not: {@code "openblas 0.3.21 Cooperlake (OpenBLAS 0.3.21
     * DYNAMIC_ARCH ...)"}, or {@code "not available: <why>"}. Loads it unless {@code java} is selected.
     */
    public static String nativeStatus() {
        NativeBlas.Status s = NativeBlas.status();
        return s.loaded() ? s.kernel() + " (" + s.config() + ")" + (s.coreChoice().isEmpty() ? "" : "; " + s.coreChoice())
                : "not available: " + s.why();
    }

    /**
     * The core the engine had OpenBLAS run because OpenBLAS did not know this CPU (e.g. {@code "SkylakeX"} where
     * OpenBLAS 0.3.21 would fall back to its generic Prescott kernel), or {@code null} when OpenBLAS chose its core
     * itself, was pinned by {@code OPENBLAS_CORETYPE}, or is not loaded. Another process that should run the same
     * OpenBLAS (the bench's reference) sets {@code OPENBLAS_CORETYPE} to it.
     */
    public static String nativeCoreOverride() {
        NativeBlas.Status s = NativeBlas.status();
        return s.loaded() && !s.coreChoice().isEmpty() ? s.core() : null;
    }

    /** Whether the native path is loaded on this machine (whether or not {@link #gemm} uses it). */
    public static boolean nativeAvailable() {
        return NativeBlas.status().loaded();
    }

    /** The Java kernel: {@code "vector-<bits>"} or {@code "scalar"}. */
    public static String javaKernelName() {
        return VECTOR ? "vector-" + VectorSgemm.VL * 32 : "scalar";
    }

    /** The kernel {@link #gemm} runs on large products: {@code "openblas 0.3.21 Cooperlake"}, {@code "vector-512"} or {@code "scalar"}. */
    public static String kernelName() {
        return NATIVE ? NativeBlas.status().kernel() : javaKernelName();
    }

    /**
     * The kernel as provenance records it, naming exactly what the bits of C depend on besides the shape:
     * {@code "java"} (every Java kernel gives the same bits), or
     * {@code "openblas 0.3.21 Cooperlake, blocks v2, java below m*n*k 1024"} (the OpenBLAS core and the revision
     * of the engine's blocking rule, on whose blocks OpenBLAS's bits depend). Its first word is the value of
     * {@value #BLAS_PROPERTY} that selects it.
     */
    public static String provenance() {
        return NATIVE ? NativeBlas.status().kernel() + ", " + NativeBlas.BLOCKING + ", java below m*n*k "
                + NATIVE_MIN_WORK : "java";
    }

    /** The Vector API kernel's tiling on this machine, or {@code null} for the scalar kernel. */
    public static SgemmTiling tiling() {
        return VECTOR ? VectorSgemm.TILING : null;
    }

    /** The Java kernel and its tiling in one line: {@code "vector-512 packed 6x4v kc384 mc168 nc4096 (...), else in place 4x4v"}. */
    public static String describeJava() {
        return VECTOR ? javaKernelName() + " packed " + VectorSgemm.TILING + " (min(m,n) >= 128, max(m,n) >= 512, k >= 128),"
                + " else in place 4x4v" : javaKernelName();
    }

    /**
     * The kernels {@link #gemm} runs, in one line, for reports: {@code "openblas 0.3.21 Cooperlake, single-threaded
     * in 2 blocks of C over the threads (edge >= 128; 4 for edge >= 4096), for m*n*k >= 1024, else vector-512 in
     * place 4x4v"} or {@link #describeJava()}.
     */
    public static String describe() {
        if (!NATIVE) {
            return describeJava();
        }
        return NativeBlas.status().kernel() + ", single-threaded in 2 blocks of C over the threads (edge >= "
                + 2 * NativeBlas.MIN_PART_EDGE + "; " + NativeBlas.MAX_PARTS + " for edge >= "
                + NativeBlas.MAX_PARTS * NativeBlas.MIN_WIDE_PART_EDGE + "), for m*n*k >= " + NATIVE_MIN_WORK + ", else "
                + (VECTOR ? javaKernelName() + " in place 4x4v" : javaKernelName());
    }

    /**
     * Computes {@code C = op(A) * op(B)} ({@code accumulate == false}) or {@code C += op(A) * op(B)}.
     *
     * @param threads rows and columns of C are split over at most this many threads
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (MISSING != null) {
            throw new IllegalStateException(MISSING);
        }
        if (onNative(transA, transB, m, n, k, lda, ldb, ldc)) {
            NativeBlas.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
            return;
        }
        if (NATIVE && VECTOR && m > 0 && n > 0 && k > 0) {
            InPlaceSgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
            return;
        }
        javaGemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
    }

    /** Whether {@link #gemm} runs this product on OpenBLAS: selected, at least {@link #NATIVE_MIN_WORK}, BLAS strides. */
    private static boolean onNative(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        return NATIVE && m > 0 && n > 0 && k > 0 && (long) m * n * k >= NATIVE_MIN_WORK
                && NativeBlas.acceptsStrides(transA, transB, m, n, k, lda, ldb, ldc);
    }

    /**
     * {@link #gemm} in one piece on the calling thread: on OpenBLAS (under the same rule as {@link #gemm}) one
     * call, never cut into blocks, else the Java kernels on one thread. For callers that spread their own
     * tasks over the threads, such as a convolution's per-sample products in training (two blocks of a
     * small product cost more than one: each packs the other operand again); the bits depend on the shape
     * alone.
     */
    public static void gemmWhole(boolean transA, boolean transB, int m, int n, int k,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, boolean accumulate) {
        if (MISSING != null) {
            throw new IllegalStateException(MISSING);
        }
        if (onNative(transA, transB, m, n, k, lda, ldb, ldc)) {
            NativeBlas.sgemmWhole(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, 1);
    }

    /**
     * {@link #gemm} on the Java kernels whatever {@value #BLAS_PROPERTY} says. Each element of C is the
     * chain of fused multiply-adds over its row of op(A) and column of op(B) alone, so a row (or column)
     * of C never depends on the others nor on m (or n): inference, where rows or columns are samples and a
     * sample's result must not depend on its batch, runs here (OpenBLAS rounds by the shape and position).
     * The bench compares it with OpenBLAS.
     */
    public static void javaGemm(boolean transA, boolean transB, int m, int n, int k,
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
     * {@link #gemm} on OpenBLAS whatever the shape and {@value #BLAS_PROPERTY} (for benchmarks and tests).
     *
     * @throws IllegalStateException when the native path is not loaded ({@link #nativeStatus()} says why)
     * @throws IndexOutOfBoundsException when an operand does not fit in its array
     */
    public static void openblas(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (!NativeBlas.status().loaded()) {
            throw new IllegalStateException("the native BLAS path is " + nativeStatus());
        }
        if (m > 0 && n > 0 && k > 0) {
            NativeBlas.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
        } else if (!accumulate) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
        }
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
