package org.modelbench.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.testkit.OptionalMaterial;

/**
 * The native BLAS path: OpenBLAS against the scalar kernel, bit-identical for 1 and 2 threads, bounds
 * checked before the call, and the selection by {@value Sgemm#BLAS_PROPERTY} (in child JVMs, since the
 * selection is made once per JVM).
 */
class NativeBlasTest {

    static void requireNative() {
        OptionalMaterial.require(Sgemm.nativeAvailable(), "the native BLAS path (" + Sgemm.nativeStatus()
                + "; apt-get install gcc libopenblas-dev, then rebuild engine-java)");
    }

    /** m, n, k, transA, transB, accumulate, and the padding of lda, ldb, ldc and of the three offsets. */
    private record Case(int m, int n, int k, boolean ta, boolean tb, boolean acc, int padA, int padB, int padC,
                        int aOff, int bOff, int cOff) {
        int lda() {
            return (ta ? m : k) + padA;
        }

        int ldb() {
            return (tb ? k : n) + padB;
        }

        int ldc() {
            return n + padC;
        }

        float[] a(long seed) {
            return SgemmTest.random(aOff + (ta ? k : m) * lda() + 3, seed);
        }

        float[] b(long seed) {
            return SgemmTest.random(bOff + (tb ? n : k) * ldb() + 2, seed);
        }

        float[] c(long seed) {
            return SgemmTest.random(cOff + m * ldc() + 1, seed);
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " acc=" + acc + " ld+" + padA + "," + padB + ","
                    + padC + " off " + aOff + "," + bOff + "," + cOff;
        }
    }

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {37, 1001, 129}, {64, 576, 288}, {130, 10, 33}, {5, 200, 1},
            {257, 129, 515}, {1, 300, 700}, {600, 1, 40}};
        SplittableRandom r = new SplittableRandom(7);
        for (int[] s : shapes) {
            for (int flags = 0; flags < 8; flags++) {
                out.add(new Case(s[0], s[1], s[2], (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, r.nextInt(3),
                        r.nextInt(3), r.nextInt(3), r.nextInt(5), r.nextInt(5), r.nextInt(5)));
            }
        }
        // random ragged shapes
        for (int i = 0; i < 24; i++) {
            out.add(new Case(1 + r.nextInt(200), 1 + r.nextInt(300), 1 + r.nextInt(400), r.nextBoolean(), r.nextBoolean(),
                    r.nextBoolean(), r.nextInt(4), r.nextInt(4), r.nextInt(4), r.nextInt(9), r.nextInt(9), r.nextInt(9)));
        }
        return out;
    }

    @Test
    void openBlasMatchesTheScalarKernelAndIsBitIdenticalForOneAndTwoThreads() {
        requireNative();
        for (Case t : cases()) {
            float[] a = t.a(1);
            float[] b = t.b(2);
            float[] c0 = t.c(3);
            float[] scalar = c0.clone();
            if (!t.acc()) {
                for (int i = 0; i < t.m(); i++) {
                    Arrays.fill(scalar, t.cOff() + i * t.ldc(), t.cOff() + i * t.ldc() + t.n(), 0f);
                }
            }
            Sgemm.scalar(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(), scalar, t.cOff(),
                    t.ldc(), 1);
            float[] one = c0.clone();
            float[] two = c0.clone();
            Sgemm.openblas(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(), one, t.cOff(),
                    t.ldc(), t.acc(), 1);
            Sgemm.openblas(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(), two, t.cOff(),
                    t.ldc(), t.acc(), 2);
            assertArrayEquals(one, two, t + ": OpenBLAS on 1 vs 2 threads");
            for (int i = 0; i < c0.length; i++) {
                int row = i - t.cOff();
                boolean inC = row >= 0 && row / t.ldc() < t.m() && row % t.ldc() < t.n();
                if (!inC) {
                    assertEquals(c0[i], one[i], t + ": element " + i + " outside C was written");
                } else {
                    // relative to the magnitude of the sum's terms (|a| <= 1, |b| <= 1)
                    assertEquals(scalar[i], one[i], 2e-6f * (t.k() + Math.abs(scalar[i])), t + " at " + i);
                }
            }
            // the dispatching entry agrees with one of the two kernels by the shape rule
            float[] viaGemm = c0.clone();
            Sgemm.gemm(t.ta(), t.tb(), t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), b, t.bOff(), t.ldb(), viaGemm, t.cOff(),
                    t.ldc(), t.acc(), 2);
            boolean big = (long) t.m() * t.n() * t.k() >= Sgemm.NATIVE_MIN_WORK;
            assertArrayEquals(Sgemm.nativeBlas() && big ? one : scalar, viaGemm, t + ": gemm's kernel by the shape rule");
        }
    }

    @Test
    void largeProductsAreBitIdenticalForOneAndTwoThreads() {
        requireNative();
        // 2 column blocks, 4 column blocks, 2 row blocks, 4 ragged row blocks, 4 ragged column blocks
        int[][] shapes = {{512, 1296, 576}, {64, 18432, 288}, {1000, 128, 2304}, {4100, 40, 70}, {130, 4500, 20}};
        for (int[] s : shapes) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = SgemmTest.random(m * k, 11);
                float[] b = SgemmTest.random(k * n, 12);
                float[] one = new float[m * n];
                float[] two = new float[m * n];
                Sgemm.openblas(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, one, 0, n, false, 1);
                Sgemm.openblas(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, two, 0, n, false, 2);
                assertArrayEquals(one, two, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb);
                float[] three = new float[m * n];
                Sgemm.openblas(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, three, 0, n, false, 3);
                assertArrayEquals(one, three, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + ": 1 vs 3 threads");
            }
        }
    }

    @Test
    void theBlocksFollowTheShapeAlone() {
        // too little work or too narrow for 2 blocks
        assertEquals(1, NativeBlas.parts(1023, 1, 1024));
        assertEquals(1, NativeBlas.parts(127, 127, 100_000));
        assertEquals(2, NativeBlas.parts(128, 16, 1024));
        // 2 blocks up to an edge of 4095 (each block repacks the other operand): the 2048^3 reference
        assertEquals(2, NativeBlas.parts(2048, 2048, 2048));
        assertEquals(2, NativeBlas.parts(64, 576, 288));
        assertEquals(2, NativeBlas.parts(4095, 4095, 4095));
        // 4 blocks of at least 1024 rows (or columns) and 2^20 multiply-adds
        assertEquals(4, NativeBlas.parts(4096, 64, 64));
        assertEquals(4, NativeBlas.parts(64, 18432, 288));
        assertEquals(2, NativeBlas.parts(4096, 1, 512));
    }

    @Test
    void anOperandOutsideItsArrayIsAnExceptionNotACrash() {
        requireNative();
        float[] a = new float[64 * 64];
        float[] b = new float[64 * 64];
        float[] c = new float[64 * 64];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.openblas(false, false, 64, 64, 64, a, 1, 64, b, 0, 64, c, 0, 64, false, 2));
        assertTrue(e.getMessage().contains("A (64 x 64, offset 1, row stride 64) needs 4097 floats, its array has 4096"),
                e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.openblas(false, true, 64, 64, 64, a, 0, 64, b, -1, 64, c, 0, 64, false, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.openblas(false, false, 64, 64, 64, a, 0, 64, b, 0, 64, c, 0, 65, true, 1));
        // through the dispatching entry too (the product is large enough for OpenBLAS)
        assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.gemm(true, false, 64, 64, 64, a, 0, 64, b, 0, 64, new float[64 * 63], 0, 64, false, 2));
        // a stride BLAS refuses is an argument error on the native entry
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.openblas(false, false, 64, 64, 64, a, 0, 63, b, 0, 64, c, 0, 64, false, 1));
    }

    @Test
    void theProvenanceNamesOpenBlasAndItsCore() {
        requireNative();
        assertTrue(Sgemm.nativeBlas(), "auto selects the native path when it loads: " + Sgemm.describe());
        assertTrue(Sgemm.kernelName().matches("openblas \\d+\\.\\d+\\.\\d+ \\S+"), Sgemm.kernelName());
        assertEquals(Sgemm.kernelName() + ", blocks v2, java below m*n*k " + Sgemm.NATIVE_MIN_WORK, Sgemm.provenance());
        assertTrue(Sgemm.describe().startsWith(Sgemm.kernelName() + ", ") && Sgemm.describe().contains("blocks of C over the threads"),
                Sgemm.describe());
    }

    /**
     * OpenBLAS 0.3.21 runs its generic SSE3 kernel (Prescott) on CPUs it does not know, such as an Emerald Rapids
     * Xeon: the engine must then have opened it with the core the CPU's features allow (SkylakeX for AVX-512,
     * Haswell for AVX2 and FMA), never left it on the fallback where the CPU has AVX2.
     */
    @Test
    void openBlasNeverRunsItsGenericFallbackOnACpuWithAvx2() throws IOException {
        requireNative();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        OptionalMaterial.require(Files.isReadable(cpuinfo), "/proc/cpuinfo (the CPU's features)");
        List<String> flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst()
                .map(l -> List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(List.of());
        String pinned = System.getenv("OPENBLAS_CORETYPE");
        if (pinned != null || !flags.containsAll(List.of("avx2", "fma"))) {
            System.out.println("skipped: the core check needs a CPU with AVX2 and no OPENBLAS_CORETYPE (pinned: "
                    + pinned + ")");
            return;
        }
        String core = Sgemm.kernelName().split(" ")[2];
        assertFalse(core.equals("Prescott"), Sgemm.nativeStatus());
        boolean avx512 = flags.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        if (Sgemm.nativeCoreOverride() != null) {
            assertEquals(avx512 ? "SkylakeX" : "Haswell", Sgemm.nativeCoreOverride(), Sgemm.nativeStatus());
            assertTrue(Sgemm.nativeStatus().contains("does not know this CPU"), Sgemm.nativeStatus());
        }
        System.out.println("OpenBLAS core: " + Sgemm.nativeStatus());
    }

    @Test
    void javaSelectsTheJavaKernelAndAFailedLoadFallsBackOrFails(@TempDir Path temp) throws Exception {
        requireNative();
        Child java = child(Map.of(), "-D" + Sgemm.BLAS_PROPERTY + "=java");
        assertEquals(0, java.exit(), java.output());
        assertTrue(java.output().contains("kernel=" + Sgemm.javaKernelName() + " provenance=java native=false"),
                java.output());
        Child auto = child(Map.of(), "-D" + Sgemm.BLAS_PROPERTY + "=auto");
        assertTrue(auto.output().contains("kernel=" + Sgemm.kernelName() + " provenance=" + Sgemm.provenance()),
                auto.output());
        // a cache the library cannot be written to: auto says so in one line and runs Java, openblas fails
        Path file = Files.writeString(temp.resolve("not-a-folder"), "x");
        Child fallback = child(Map.of("MODELBENCH_CACHE", file.toString()), "-D" + Sgemm.BLAS_PROPERTY + "=auto");
        assertEquals(0, fallback.exit(), fallback.output());
        assertTrue(fallback.output().contains("kernel=" + Sgemm.javaKernelName() + " provenance=java native=false"),
                fallback.output());
        assertEquals(1, fallback.output().lines().filter(l -> l.startsWith("modelbench: native BLAS path unavailable (cannot "
                + "write it to the cache")).count(), fallback.output());
        Child required = child(Map.of("MODELBENCH_CACHE", file.toString()), "-D" + Sgemm.BLAS_PROPERTY + "=openblas");
        assertTrue(required.output().contains("gemm failed: " + Sgemm.BLAS_PROPERTY + "=openblas, but the native BLAS path "
                + "is not available: cannot write it to the cache"), required.output());
        Child bad = child(Map.of(), "-D" + Sgemm.BLAS_PROPERTY + "=mkl");
        assertTrue(bad.output().contains(Sgemm.BLAS_PROPERTY + ": expected auto, openblas or java, got 'mkl'"), bad.output());
    }

    private record Child(int exit, String output) {
    }

    /** {@link SelectionMain} in a fresh JVM with this test's class path. */
    private static Child child(Map<String, String> env, String property) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--add-modules", "jdk.incubator.vector", property, "-cp",
                System.getProperty("java.class.path"), SelectionMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertFalse(out.contains("SIGSEGV") || out.contains("hs_err"), out);
        return new Child(p.exitValue(), out);
    }

    /** Prints which kernel this JVM selected, then runs one product large enough for OpenBLAS. */
    static final class SelectionMain {
        private SelectionMain() {
        }

        public static void main(String[] args) {
            System.out.println("kernel=" + Sgemm.kernelName() + " provenance=" + Sgemm.provenance() + " native="
                    + Sgemm.nativeBlas());
            float[] a = SgemmTest.random(64 * 64, 1);
            float[] c = new float[64 * 64];
            try {
                Sgemm.gemm(false, false, 64, 64, 64, a, 0, 64, a, 0, 64, c, 0, 64, false, 2);
                System.out.println("gemm ok");
            } catch (IllegalStateException e) {
                System.out.println("gemm failed: " + e.getMessage());
            }
        }
    }
}
