package org.modelbench.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A small batch times transposed weights (gathers, no packing) gives SGEMM's bits on 1 and 2 threads. */
class SmallBatchGemmTest {

    @Test
    void givesTheBitsOfSgemmWithTransposedB() {
        SplittableRandom r = new SplittableRandom(9);
        for (int[] s : new int[][] {{8, 1000, 1280}, {1, 16, 5}, {3, 37, 64}, {13, 100, 33}, {32, 64, 512}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = new float[m * k];
            float[] b = new float[n * k];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(5) == 0 ? 0f : (float) r.nextGaussian();
            }
            float[] want = new float[m * n];
            Blas.gemm(false, true, m, n, k, a, 0, b, 0, want, 0, false, 1);
            for (int threads : new int[] {1, 2}) {
                float[] got = new float[m * n];
                LinearKernels.smallBatchTimesTransposed(m, n, k, a, b, got, threads);
                assertArrayEquals(want, got, m + "x" + n + "x" + k + " on " + threads + " thread(s)");
            }
        }
    }
}
