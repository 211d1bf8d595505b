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
 * The seed CNN's matrix shapes (and a square reference) on every SGEMM candidate, one thread:
 * the engine's Vector API kernel, its scalar fallback, and netlib's pure-Java ({@code JavaBLAS},
 * Vector API on JDK 16+) and native ({@code NativeBLAS}, the system's libblas) paths. Row-major
 * {@code C = op(A) op(B)} is netlib's column-major {@code C^T = op(B)^T op(A)^T}. Score: ops/ms;
 * GFLOP/s = score * 2mnk / 1e6.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmBenchmark {
    /** m x n x k and the layout: conv2 forward, conv2 kernel gradient, conv2 input gradient, dense forward, square. */
    @Param({"64x576x288:NN", "64x288x576:NT", "288x576x64:TN", "128x128x9216:NN", "512x512x512:NN"})
    public String shape;

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

    @Benchmark
    public float[] engineVector() {
        Sgemm.gemm(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, false, 1);
        return c;
    }

    @Benchmark
    public float[] engineScalar() {
        java.util.Arrays.fill(c, 0f);
        Sgemm.scalar(ta, tb, m, n, k, a, 0, lda(), b, 0, ldb(), c, 0, n, 1);
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
