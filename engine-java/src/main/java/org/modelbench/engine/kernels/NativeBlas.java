package org.modelbench.engine.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.ModelbenchException;

/**
 * The native BLAS path behind {@link Sgemm}: OpenBLAS's {@code cblas_sgemm} through a small JNI shim
 * ({@code src/main/native/modelbench_openblas.c}) that the engine's build compiles into this module's
 * resources ({@code native/<os>-<arch>/libmodelbench_openblas.so}) when gcc and libopenblas-dev are
 * there.
 *
 * <p>Lifecycle: {@link #status()} loads the library once, on first use: it is copied out of the jar to
 * a content-addressed file in the cache ({@code $MODELBENCH_CACHE}, else {@code ~/.modelbench/cache};
 * {@code native/<sha256 prefix>/libmodelbench_openblas.so}, written atomically) and
 * {@link System#load loaded}. Any failure leaves the engine on its Java kernel and says why.
 *
 * <p>Core: the shim opens OpenBLAS ({@value #OPENBLAS}) with dlopen, so OpenBLAS picks its core kernel then. On a
 * CPU OpenBLAS does not know it falls back to its generic {@value #FALLBACK_CORE} kernel; the shim then opens it
 * again with {@code OPENBLAS_CORETYPE} set to the core the CPU's features allow (SkylakeX for AVX-512, Haswell for
 * AVX2 and FMA), and {@link Status#coreChoice()} says so. A core pinned with {@code OPENBLAS_CORETYPE} (the
 * launcher maps {@code MODELBENCH_OPENBLAS_CORETYPE} to it) is kept. The core is part of the provenance.
 *
 * <p>Safety: {@link #sgemm} checks every offset, stride and length against the arrays before the call,
 * so a wrong index is an {@link IndexOutOfBoundsException}, never a native crash. The arrays are pinned
 * (no copy) during the call.
 *
 * <p>Threads: OpenBLAS runs single-threaded (its thread count is set to 1 when the library loads) and
 * the engine splits a product itself: C into a number of row or column blocks (1, 2 or 4) that depends on the
 * shape alone ({@link #parts}), one OpenBLAS call per block, the blocks spread over the caller's threads
 * by {@link Parallel}. So the bits of C depend on the shape and the OpenBLAS core, never on the thread
 * count. (OpenBLAS's own threading is not enough: with its Haswell kernels, 0.3.21 gives different bits
 * on 1 and 2 threads; with the Cooperlake ones, the same.)
 */
final class NativeBlas {
    /** The library's file name, in the jar and in the cache. */
    static final String LIBRARY = "libmodelbench_openblas.so";
    /** OpenBLAS's shared library, as the shim opens it (dlopen: the system's search path). */
    static final String OPENBLAS = "libopenblas.so.0";
    /**
     * The core OpenBLAS runs on a CPU it does not know (0.3.21 on an Emerald Rapids Xeon): its generic SSE3 kernel,
     * 14 against SkylakeX's 87 GFLOP/s single-threaded at 2048^3 there (2026-12-02, load 5). The shim then opens it
     * again with the core the CPU's features allow ({@code src/main/native/modelbench_openblas.c}).
     */
    static final String FALLBACK_CORE = "Prescott";

    /**
     * At most this many blocks per product: a power of two, so that 2 or 4 threads share them evenly; few,
     * because every block packs the whole of the other operand again (OpenBLAS's own threads share it).
     */
    static final int MAX_PARTS = 4;
    /** A block has at least this many rows (or columns) of C ... */
    static final int MIN_PART_EDGE = 64;
    /**
     * ... and at least this many when the product is cut into more than 2 blocks: each packed element of the
     * repacked operand serves a block's edge of multiply-adds, so 4 blocks of 512 (2048^3) cost 1 and 2
     * threads about 5 % against 2 blocks of 1024 (single-threaded OpenBLAS calls on pthreads, quiet
     * 2026-12-02), and only more than 2 threads gain from them.
     */
    static final int MIN_WIDE_PART_EDGE = 1024;
    /** ... and at least this many multiply-adds. */
    private static final long MIN_PART_WORK = 1L << 20;
    /**
     * The revision of the blocking rule ({@link #parts} and the block edges in {@link #sgemm}), part of the
     * provenance: OpenBLAS's bits of C follow the blocks' shapes, so another rule gives other bits.
     * {@code blocks v1} (up to 4 blocks of at least 64) was the rule before 2026-12-02 04:00 UTC.
     */
    static final String BLOCKING = "blocks v2";

    private NativeBlas() {
    }

    /**
     * The native path's state on this machine.
     *
     * @param loaded     whether the library is loaded and callable
     * @param version    OpenBLAS's version, e.g. {@code 0.3.21} ({@code ""} when not loaded)
     * @param core       the core kernel OpenBLAS runs, e.g. {@code Cooperlake} (it honours {@code OPENBLAS_CORETYPE})
     * @param config     {@code openblas_get_config()}, e.g. {@code OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ...}
     * @param maxThreads OpenBLAS's own thread count when it loaded (unused: the engine splits products itself)
     * @param why        why it is not loaded ({@code ""} when loaded)
     * @param coreChoice {@code ""} when OpenBLAS chose its core itself (or {@code OPENBLAS_CORETYPE} pinned it), else
     *                   why the engine chose it: OpenBLAS did not know the CPU ({@link #FALLBACK_CORE})
     */
    record Status(boolean loaded, String version, String core, String config, int maxThreads, String why,
                  String coreChoice) {
        static Status unavailable(String why) {
            return new Status(false, "", "", "", 0, why, "");
        }

        /** {@code "openblas 0.3.21 Cooperlake"}. */
        String kernel() {
            return "openblas " + version + " " + core;
        }
    }

    /** The native path's state, loading the library on the first call. */
    static Status status() {
        return Holder.STATUS;
    }

    private static final class Holder {
        static final Status STATUS = load(cacheDirectory());
    }

    /** {@code $MODELBENCH_CACHE}, else {@code ~/.modelbench/cache}. */
    static Path cacheDirectory() {
        String dir = System.getenv("MODELBENCH_CACHE");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".modelbench", "cache");
    }

    /** {@code linux-x86_64}, {@code linux-aarch64}, or {@code null} where the build makes no library. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> null;
        };
    }

    private static Status load(Path cache) {
        String platform = platform();
        if (platform == null) {
            return Status.unavailable("no native BLAS path for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
        }
        String resource = "native/" + platform + "/" + LIBRARY;
        byte[] bytes;
        try (InputStream in = NativeBlas.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Status.unavailable("the engine was built without it (" + resource
                        + " is not in the engine's classes: gcc or libopenblas-dev were missing at build time)");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return Status.unavailable("cannot read " + resource + ": " + e.getMessage());
        }
        Path file;
        try {
            file = extract(bytes, cache.resolve("native").resolve(sha256(bytes).substring(0, 16)));
        } catch (IOException | ModelbenchException e) {
            return Status.unavailable("cannot write it to the cache " + cache + ": " + e.getMessage());
        }
        try {
            System.load(file.toAbsolutePath().toString());
            String opened = nativeOpen(OPENBLAS);
            if (opened.startsWith("error:")) {
                return Status.unavailable("cannot open OpenBLAS: " + opened.substring("error:".length()));
            }
            String config = nativeConfig();
            String core = nativeCore();
            String[] words = config.split("\\s+");
            String version = words.length > 1 && words[0].equalsIgnoreCase("OpenBLAS") ? words[1] : "unknown";
            int threads = nativeMaxThreads();
            nativeSetThreads(1);
            String choice = opened.startsWith("core:") ? "OpenBLAS " + version + " does not know this CPU and would run its "
                    + "generic " + FALLBACK_CORE + " kernel; the engine opened it with OPENBLAS_CORETYPE="
                    + opened.substring("core:".length()) + ", the core the CPU's features allow" : "";
            return new Status(true, version, core.isBlank() ? "unknown" : core.strip(), config.strip(), threads, "",
                    choice);
        } catch (UnsatisfiedLinkError e) {
            return Status.unavailable("cannot load " + file + ": " + firstLine(e.getMessage()));
        }
    }

    /** Copies the library to {@code dir/LIBRARY} unless the same bytes are there; atomic ({@link AtomicFiles}). */
    private static Path extract(byte[] bytes, Path dir) throws IOException {
        Path file = dir.resolve(LIBRARY);
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return file;
        }
        AtomicFiles.write(file, bytes);
        return file;
    }

    /**
     * Whether OpenBLAS accepts these strides (BLAS requires a row stride of at least the stored row's
     * length, and 1 for empty rows); the Java kernels accept any.
     */
    static boolean acceptsStrides(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        return lda >= Math.max(1, transA ? m : k) && ldb >= Math.max(1, transB ? k : n) && ldc >= Math.max(1, n);
    }

    /**
     * {@code C = op(A) * op(B)} or {@code C += op(A) * op(B)} on OpenBLAS, with the contract of
     * {@link Sgemm#gemm}; {@code m, n, k >= 1} and strides that {@link #acceptsStrides} accepts. The
     * blocks ({@link #parts}) run on up to {@code threads} threads.
     *
     * @throws IndexOutOfBoundsException when an operand does not fit in its array
     * @throws IllegalStateException when the library is not loaded
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads, false);
    }

    /**
     * {@link #sgemm} in one OpenBLAS call on the calling thread, never cut into blocks (for callers that
     * spread their own tasks over the threads): the bits depend on the shape and the core alone.
     */
    static void sgemmWhole(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, 1, true);
    }

    private static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads,
                              boolean whole) {
        if (m < 1 || n < 1 || k < 1 || !acceptsStrides(transA, transB, m, n, k, lda, ldb, ldc)) {
            throw new IllegalArgumentException("native sgemm: expected m, n, k >= 1 and BLAS strides, got m " + m + ", n "
                    + n + ", k " + k + ", lda " + lda + ", ldb " + ldb + ", ldc " + ldc);
        }
        checkFits("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkFits("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkFits("C", c, cOff, ldc, m, n);
        if (!status().loaded()) {
            throw new IllegalStateException("the native BLAS path is not loaded: " + status().why());
        }
        int parts = whole ? 1 : parts(m, n, k);
        if (parts == 1) {
            nativeSgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // blocks of rows of C (of op(A)) when C is taller than wide, else blocks of columns (of op(B))
        boolean byRows = m >= n;
        int edge = byRows ? m : n;
        int size = (edge + parts - 1) / parts;
        int block = (size + 15) / 16 * 16;
        int blocks = (edge + block - 1) / block;
        Parallel.forEach(blocks, threads, q -> {
            int s0 = q * block;
            int len = Math.min(block, edge - s0);
            if (byRows) {
                nativeSgemm(transA, transB, len, n, k, a, aOff + (transA ? s0 : s0 * lda), lda, b, bOff, ldb,
                        c, cOff + s0 * ldc, ldc, accumulate);
            } else {
                nativeSgemm(transA, transB, m, len, k, a, aOff, lda, b, bOff + (transB ? s0 * ldb : s0), ldb,
                        c, cOff + s0, ldc, accumulate);
            }
        });
    }

    /**
     * How many blocks {@link #sgemm} cuts an {@code m x n x k} product into: the largest power of two up to
     * {@link #MAX_PARTS} that leaves every block at least {@value #MIN_PART_WORK} multiply-adds and at least
     * {@value #MIN_PART_EDGE} rows (or columns) of C, {@value #MIN_WIDE_PART_EDGE} for more than 2 blocks.
     * A function of the shape alone.
     */
    static int parts(int m, int n, int k) {
        long work = (long) m * n * k;
        int edge = Math.max(m, n);
        int parts = 1;
        while (parts * 2 <= MAX_PARTS && work / (parts * 2) >= MIN_PART_WORK
                && edge / (parts * 2) >= (parts * 2 > 2 ? MIN_WIDE_PART_EDGE : MIN_PART_EDGE)) {
            parts *= 2;
        }
        return parts;
    }

    /** A {@code rows x cols} operand at {@code x[off..]} with row stride {@code ld} lies inside {@code x}. */
    private static void checkFits(String name, float[] x, int off, int ld, int rows, int cols) {
        long end = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || end > x.length) {
            throw new IndexOutOfBoundsException("sgemm: " + name + " (" + rows + " x " + cols + ", offset " + off
                    + ", row stride " + ld + ") needs " + end + " floats, its array has " + x.length);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static native void nativeSgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                                           int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                           boolean accumulate);

    /**
     * Opens OpenBLAS ({@code library}) and binds its functions: {@code ""} when OpenBLAS chose its core (or
     * {@code OPENBLAS_CORETYPE} pinned it), {@code "core:<name>"} when it fell back to {@link #FALLBACK_CORE} and the
     * shim opened it again with core {@code name}, {@code "error:<why>"} when it cannot be opened.
     */
    private static native String nativeOpen(String library);

    private static native void nativeSetThreads(int threads);

    private static native String nativeConfig();

    private static native String nativeCore();

    private static native int nativeMaxThreads();
}
