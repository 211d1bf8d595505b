package org.modelbench.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The in-place kernel's per-thread edge buffers: reused without a trace in the results, and no garbage per call. */
class InPlaceSgemmTest {
    /** Ragged rows (67 = 16 blocks of 4 + 3) and a ragged last column panel: both edge buffers are used. */
    private static final int M = 67;
    private static final int N = 2 * InPlaceSgemm.NR + 5;
    private static final int K = 300;

    private static float[] product(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b,
                                   boolean inPlace) {
        float[] c = SgemmTest.random(m * n, 9);
        if (inPlace) {
            InPlaceSgemm.gemm(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, true, 1);
        } else {
            Sgemm.scalar(transA, transB, m, n, k, a, 0, transA ? m : k, b, 0, transB ? k : n, c, 0, n, 1);
        }
        return c;
    }

    @Test
    void aReusedTileAndEdgeLeaveNoTraceInTheBits() {
        // a larger product first leaves large values in the thread's tile and its edge block
        float[] big = SgemmTest.random(1000 * 1000, 4);
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1e30f;
        }
        InPlaceSgemm.gemm(false, false, 7, 1000, 1000, big, 0, 1000, big, 0, 1000, new float[7 * 1000], 0, 1000,
                false, 1);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] a = SgemmTest.random(M * K, 1);
                float[] b = SgemmTest.random(K * N, 2);
                assertArrayEquals(product(ta, tb, M, N, K, a, b, false), product(ta, tb, M, N, K, a, b, true),
                        "transA " + ta + " transB " + tb);
            }
        }
    }

    /**
     * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, reached by reflection: the engine's module
     * (which the tests are compiled into) reads neither {@code java.management} nor {@code jdk.management}; the
     * tests run on the class path, which reads both.
     */
    private static final class AllocatedBytes {
        private final Object bean;
        private final Method method;

        AllocatedBytes() throws ReflectiveOperationException {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            method = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        }

        long now() throws ReflectiveOperationException {
            return (Long) method.invoke(bean);
        }
    }

    @Test
    void aWarmCallAllocatesNoTile() throws ReflectiveOperationException {
        AllocatedBytes threads = new AllocatedBytes();
        float[] a = SgemmTest.random(M * K, 1);
        float[] b = SgemmTest.random(K * N, 2);
        float[] c = new float[M * N];
        for (int i = 0; i < 200; i++) {
            InPlaceSgemm.gemm(false, false, M, N, K, a, 0, K, b, 0, N, c, 0, N, false, 1);
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = threads.now();
            InPlaceSgemm.gemm(false, false, M, N, K, a, 0, K, b, 0, N, c, 0, N, false, 1);
            least = Math.min(least, threads.now() - before);
        }
        // one task per 64 rows: each used to allocate a tile (and the ragged one its edge block of K x MR floats)
        long tile = (long) InPlaceSgemm.MR * InPlaceSgemm.NR * Float.BYTES;
        assertTrue(least < tile, "a warm call allocated " + least + " bytes (a tile is " + tile + ")");
    }
}
