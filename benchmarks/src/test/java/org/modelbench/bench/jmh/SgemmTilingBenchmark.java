package org.modelbench.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.modelbench.engine.kernels.Sgemm;
import org.modelbench.engine.kernels.SgemmTiling;
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
 * The engine's SGEMM candidates against each other: the packed kernel under several tilings
 * (register tile {@code MRxNV} and cache blocks {@code kc:mc:nc}; the first is this machine kind's
 * {@code SgemmTiling.forMachine} choice), the in-place kernel, and the dispatching {@code Sgemm.gemm},
 * on the 2048^3 reference, VGG16 block 5's convolution (512 filters, 4608 taps, 81 outputs) and the
 * seed CNN's conv2, on 1 and 2 threads. Every candidate gives the same bits. The vector width is a
 * JVM property: add {@code -jvmArgsAppend -Dmodelbench.engine.vectorBits=256} to compare 256 with
 * 512 bits. Score: ops/s; GFLOP/s = score * 2mnk / 1e9.
 *
 * <pre>mvn -q -pl benchmarks -am -Pjmh -DskipTests test -Djmh.args="SgemmTilingBenchmark -wi 2 -w 1 -i 3 -r 1"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SgemmTilingBenchmark {
    @Param({"2048x2048x2048", "512x81x4608", "64x576x288"})
    public String shape;

    @Param({"6x4:384:168:4096", "6x4:128:252:4096", "8x3:384:168:4096", "6x2:384:168:4096"})
    public String tiling;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private SgemmTiling t;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        n = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        String[] f = tiling.split("[x:]");
        t = new SgemmTiling(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                Integer.parseInt(f[3]), Integer.parseInt(f[4]));
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
    }

    @Benchmark
    public float[] packed() {
        Sgemm.packed(t, false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, threads);
        return c;
    }

    /** Independent of the tiling parameter (JMH runs it once per tiling: the spread is the noise). */
    @Benchmark
    public float[] inPlace() {
        Sgemm.inPlace(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, threads);
        return c;
    }

    /** What the engine runs: the packed kernel with this machine's tiling for large products, else in place. */
    @Benchmark
    public float[] dispatched() {
        Sgemm.gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false, threads);
        return c;
    }
}
