package org.modelbench.engine.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
}
