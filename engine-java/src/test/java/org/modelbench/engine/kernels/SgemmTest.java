package org.modelbench.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.modelbench.testkit.OptionalMaterial;

class SgemmTest {

    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(5) == 0 ? 0f : (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    @Test
    void matchesTheDefinitionForEveryLayoutWithOffsetsAndStrides() {
        int m = 37;
        int n = 530;
        int k = 131;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int lda = (ta ? m : k) + 3;
                int ldb = (tb ? k : n) + 2;
                int ldc = n + 5;
                float[] a = random(7 + (ta ? k : m) * lda, 1);
                float[] b = random(4 + (tb ? n : k) * ldb, 2);
                float[] c = random(9 + m * ldc, 3);
                float[] expected = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = expected[9 + i * ldc + j];
                        for (int p = 0; p < k; p++) {
                            float av = ta ? a[7 + p * lda + i] : a[7 + i * lda + p];
                            float bv = tb ? b[4 + j * ldb + p] : b[4 + p * ldb + j];
                            s += (double) av * bv;
                        }
                        expected[9 + i * ldc + j] = (float) s;
                    }
                }
                float[] one = c.clone();
                Sgemm.gemm(ta, tb, m, n, k, a, 7, lda, b, 4, ldb, one, 9, ldc, true, 1);
                float[] two = c.clone();
                Sgemm.gemm(ta, tb, m, n, k, a, 7, lda, b, 4, ldb, two, 9, ldc, true, 2);
                assertArrayEquals(one, two, "thread count changed the result");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], one[i], 1e-4, "transA " + ta + " transB " + tb + " at " + i);
                }
            }
        }
    }

    /** op(A) * op(B) in double precision, from the strided storage. */
    private static double[] reference(boolean ta, boolean tb, int m, int n, int k, float[] a, int aOff, int lda,
                                      float[] b, int bOff, int ldb) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) av * bv;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void everyKernelAndThreadCountGivesTheSameBitsAndTheRightProduct() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {4, 48, 9}, {64, 576, 288}, {67, 101, 300}, {130, 10, 33}, {5, 200, 1}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int lda = (ta ? m : k) + 3;
                int ldb = (tb ? k : n) + 2;
                int ldc = n + 1;
                float[] a = random(2 + (ta ? k : m) * lda, 1);
                float[] b = random(5 + (tb ? n : k) * ldb, 2);
                float[] c0 = random(1 + m * ldc, 3);
                float[] one = c0.clone();
                float[] two = c0.clone();
                float[] scalar = c0.clone();
                // the Java kernels (OpenBLAS has its own rounding: NativeBlasTest)
                Sgemm.javaGemm(ta, tb, m, n, k, a, 2, lda, b, 5, ldb, one, 1, ldc, true, 1);
                Sgemm.javaGemm(ta, tb, m, n, k, a, 2, lda, b, 5, ldb, two, 1, ldc, true, 2);
                Sgemm.scalar(ta, tb, m, n, k, a, 2, lda, b, 5, ldb, scalar, 1, ldc, 1);
                String what = Sgemm.javaKernelName() + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb;
                assertArrayEquals(one, two, what + ": 1 vs 2 threads");
                assertArrayEquals(scalar, one, what + ": scalar vs " + Sgemm.javaKernelName());
                double[] ref = reference(ta, tb, m, n, k, a, 2, lda, b, 5, ldb);
                assertEquals(c0[0], one[0], "element before C untouched");
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = c0[1 + i * ldc + j] + ref[i * n + j];
                        assertEquals(expected, one[1 + i * ldc + j], 1e-5 * (k + 1), what + " at " + i + "," + j);
                    }
                    if (i + 1 < m) {
                        assertEquals(c0[1 + i * ldc + n], one[1 + i * ldc + n], "padding column untouched");
                    }
                }
                float[] fresh = random(1 + m * ldc, 4);
                Sgemm.javaGemm(ta, tb, m, n, k, a, 2, lda, b, 5, ldb, fresh, 1, ldc, false, 2);
                assertEquals(ref[0], fresh[1], 1e-5 * (k + 1), what + ": overwrite ignores old C");
            }
        }
    }

    @Test
    void everyTilingGivesTheSameBits() {
        OptionalMaterial.require(Sgemm.vectorized(), "the Vector API (jdk.incubator.vector) for the kernel's tilings");
        SgemmTiling[] tilings = {
            Sgemm.tiling(),
            new SgemmTiling(6, 4, 128, 252, 4096),
            new SgemmTiling(8, 3, 100, 40, 96),
            new SgemmTiling(6, 4, 7, 6, 64),
            new SgemmTiling(6, 2, 33, 12, 1),
        };
        int[][] shapes = {{1, 1, 1}, {7, 9, 300}, {64, 576, 288}, {130, 700, 257}, {5, 9000, 20}, {4100, 70, 9}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int flags = 0; flags < 8; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                boolean accumulate = (flags & 4) != 0;
                int lda = (ta ? m : k) + 1;
                int ldb = (tb ? k : n) + 3;
                int ldc = n + 2;
                float[] a = random(1 + (ta ? k : m) * lda, 5);
                float[] b = random(2 + (tb ? n : k) * ldb, 6);
                float[] c0 = random(3 + m * ldc, 7);
                float[] scalar = c0.clone();
                if (!accumulate) {
                    for (int i = 0; i < m; i++) {
                        java.util.Arrays.fill(scalar, 3 + i * ldc, 3 + i * ldc + n, 0f);
                    }
                }
                Sgemm.scalar(ta, tb, m, n, k, a, 1, lda, b, 2, ldb, scalar, 3, ldc, 1);
                for (SgemmTiling t : tilings) {
                    for (int threads = 1; threads <= 3; threads += 2) {
                        float[] c = c0.clone();
                        VectorSgemm.gemm(t, ta, tb, m, n, k, a, 1, lda, b, 2, ldb, c, 3, ldc, accumulate, threads);
                        assertArrayEquals(scalar, c, t + ", " + threads + " threads, " + m + "x" + n + "x" + k + " ta="
                                + ta + " tb=" + tb + " accumulate=" + accumulate);
                    }
                }
            }
        }
    }

    @Test
    void thePublicPackedAndInPlaceEntriesGiveTheScalarBits() {
        OptionalMaterial.require(Sgemm.vectorized(), "the Vector API (jdk.incubator.vector): both are its kernels");
        int m = 70;
        int n = 130;
        int k = 300;
        float[] a = random(m * k, 8);
        float[] b = random(k * n, 9);
        float[] scalar = new float[m * n];
        Sgemm.scalar(false, false, m, n, k, a, 0, k, b, 0, n, scalar, 0, n, 1);
        float[] packed = random(m * n, 10);
        Sgemm.packed(new SgemmTiling(8, 3, 64, 16, 96), false, false, m, n, k, a, 0, k, b, 0, n, packed, 0, n, false, 2);
        float[] inPlace = random(m * n, 11);
        Sgemm.inPlace(false, false, m, n, k, a, 0, k, b, 0, n, inPlace, 0, n, false, 2);
        assertArrayEquals(scalar, packed, "packed");
        assertArrayEquals(scalar, inPlace, "in place");
    }

    @Test
    void aTilingWithoutAMicroKernelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SgemmTiling(5, 4, 128, 60, 512));
        assertTrue(e.getMessage().contains("5 x 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SgemmTiling(6, 4, 0, 60, 512));
    }

    @Test
    void theMachineTilingFollowsTheCaches() {
        // this machine kind: 48 KiB L1d, 1 MiB L2, 16 MiB of L3 per core, AVX-512
        SgemmTiling t = SgemmTiling.forMachine(16, true, new CpuCaches(48 << 10, 1 << 20, 16 << 20));
        assertEquals(new SgemmTiling(6, 4, 384, 168, 4096), t);
        // AVX2: 16 registers, a 6 x 2 tile of 8-lane vectors, 32 KiB L1d
        SgemmTiling avx2 = SgemmTiling.forMachine(8, false, new CpuCaches(32 << 10, 256 << 10, 2 << 20));
        assertEquals(6, avx2.mr());
        assertEquals(2, avx2.nv());
        assertTrue(avx2.kc() * 16 * 4 <= (256 << 10) / 4, "B micro-panel in a quarter of L2: " + avx2);
    }
}
