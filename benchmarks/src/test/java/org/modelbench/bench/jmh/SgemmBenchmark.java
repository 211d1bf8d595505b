package org.modelbench.bench.jmh;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.modelbench.engine.kernels.Sgemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed CNN's matrix shapes, small ones around the native path's threshold
 * ({@link Sgemm#NATIVE_MIN_WORK}) and a square reference, on every SGEMM candidate: the engine as it
 * dispatches ({@link Sgemm#gemm}), the Java kernels (as dispatched, packed, in place, scalar),
 * OpenBLAS through the engine's native path ({@link Sgemm#openblas}), and netlib's pure-Java
 * ({@code JavaBLAS}, Vector API on JDK 16+) and native ({@code NativeBLAS}, the system's libblas)
 * paths. Row-major {@code C = op(A) op(B)} is netlib's column-major {@code C^T = op(B)^T op(A)^T}.
 * Score: ops/ms; GFLOP/s = score * 2mnk / 1e6.
 *
 * <p>Run: {@code mvn -o -q -pl benchmarks -am -Pjmh -DskipTests test -Djmh.args="SgemmBenchmark -p threads=1"}
 * (the shapes, candidates and threads are {@code -p}/regex selectable), without {@code OPENBLAS_CORETYPE}
 * in the environment so that OpenBLAS runs the kernel it detects (as the launcher does). The bench's 2048^3
 * reference against OpenBLAS's own threads ({@code netlibNative}: the system's libblas, OpenBLAS with its default
 * thread count, since its fork never loads the engine's native path, which would set OpenBLAS to 1 thread: Debian's
 * libblas.so.3 wraps the same libopenblas.so.0): {@code -Djmh.args="SgemmBenchmark.(engine|netlibNative)$
 * -p shape=2048x2048x2048:NN -p threads=2 -tu s"} (ops/s; GFLOP/s = score * 17.18).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {
    /**
     * m x n x k and the layout: tiny products around the native threshold (4x4x8 to 64x64x64), conv2 forward,
     * conv2 kernel gradient, conv2 input gradient, dense forward, square.
     */
    @Param({"4x4x8:NN", "8x8x16:NN", "16x16x32:NN", "32x32x32:NN", "16x64x64:NN", "64x64x64:NN", "64x576x288:NN",
        "64x288x576:NT", "288x576x64:TN", "128x128x9216:NN", "512x512x512:NN"})
    public String shape;

    /** The threads the engine's kernels split C over. */
    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean ta;
    private boolean tb;
    private float[] a;
    private float[] b;
    private float[] c;
    private BLAS javaBlas;
    private BLAS nativeBlas;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("[x:]");
        m = Integer.parseInt(parts[0]);
        n = Integer.parseInt(parts[1]);
        k = Integer.parseInt(parts[2]);
        ta = parts[3].charAt(0) == 'T';
        tb = parts[3].charAt(1) == 'T';
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        javaBlas = JavaBLAS.getInstance();
        try {
            nativeBlas = NativeBLAS.getInstance();
        } catch (RuntimeException | LinkageError e) {
            nativeBlas = null;
        }
    }

    private int lda() {
        return ta ? m : k;
    }

    private int ldb() {
        return tb ? k : n;
    }

    /** The engine as it dispatches: OpenBLAS above the threshold when the native path is selected, else Java. */
    @Benchmark
    public float[] engine() {
        Sgemm.gemm(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, threads);
        return c;
    }

    /** The Java kernels as they dispatch (packed for large products, in place for small ones). */
    @Benchmark
    public float[] javaKernel() {
        Sgemm.javaGemm(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, threads);
        return c;
    }

    @Benchmark
    public float[] javaPacked() {
        Sgemm.packed(Sgemm.tiling(), ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, threads);
        return c;
    }

    @Benchmark
    public float[] javaInPlace() {
        Sgemm.inPlace(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, threads);
        return c;
    }

    /** OpenBLAS through the engine's native path (single-threaded calls on blocks of C spread over the threads). */
    @Benchmark
    public float[] openblas() {
        Sgemm.openblas(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, threads);
        return c;
    }

    @Benchmark
    public float[] engineScalar() {
        java.util.Arrays.fill(c, 0f);
        Sgemm.scalar(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, threads);
        return c;
    }

    @Benchmark
    public float[] netlibJava() {
        return netlib(javaBlas);
    }

    @Benchmark
    public float[] netlibNative() {
        if (nativeBlas == null) {
            throw new IllegalStateException("no native BLAS on this machine");
        }
        return netlib(nativeBlas);
    }

    private float[] netlib(BLAS blas) {
        blas.sgemm(tb ? "T" : "N", ta ? "T" : "N", n, m, k, 1f, b, ldb(), a, lda(), 0f, c, n);
        return c;
    }
}
