package org.modelbench.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel for small and thin products (see {@link VectorSgemm#packs}): no packing of A
 * and, where the layout allows, none of B, so its set-up cost stays below the packed kernel's on
 * the shapes of small convolutions; a register-tiled micro-kernel of
 * {@value #MR} rows by four vectors of columns (64 columns with AVX-512), sixteen accumulators.
 *
 * <p>Operands are read in place where their layout allows (A in either orientation, full panels
 * of a row-major B); a transposed B and ragged edges are packed into zero-padded panels. Padding
 * only ever meets padding, so real elements are exact.
 *
 * <p>Every element of C is {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending, the same
 * rounding as {@link Sgemm#scalar}, so the two kernels agree bit for bit and the result never
 * depends on how rows are split over threads.
 */
final class InPlaceSgemm {
    static final VectorSpecies<Float> SPECIES = VectorSgemm.SPECIES;
    static final int VL = SPECIES.length();
    static final int MR = 4;
    static final int NR = 4 * VL;
    private static final int KC = 128;
    private static final int ROW_BLOCK = 16 * MR;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);
    /**
     * Per thread: the C tile of ragged edges ({@code MR x NR}) and the zero-padded ragged row block of A (grown to
     * {@code k x MR}), reused by every call so that a warm product allocates nothing.
     */
    private static final ThreadLocal<float[][]> EDGES = ThreadLocal.withInitial(() -> new float[][] {
            new float[MR * NR], new float[0]});

    private InPlaceSgemm() {
    }

    /** {@code C = op(A) * op(B)} ({@code accumulate == false}; C is only written) or {@code C += op(A) * op(B)}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int panels = (n + NR - 1) / NR;
        // Full panels of a row-major B are read in place (NR contiguous floats per row p); a
        // transposed B, and the ragged last panel, are packed into zero-padded panels.
        // Strides of a multiple of 128 floats put every row in the same few cache sets: pack those.
        boolean direct = !transB && ldb % 128 != 0;
        int firstPacked = direct ? n / NR : 0;
        float[] bp = null;
        if (firstPacked < panels) {
            float[][] scratch = SCRATCH.get();
            int bSize = (panels - firstPacked) * NR * k;
            if (scratch[0].length < bSize) {
                scratch[0] = new float[bSize];
            }
            bp = scratch[0];
            packB(transB, n, k, b, bOff, ldb, bp, firstPacked, panels);
        }
        int tasks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        long work = (long) m * n * k;
        int useThreads = work < 65_536 ? 1 : threads;
        float[] packed = bp;
        Parallel.forEach(tasks, useThreads, t -> {
            int i0 = t * ROW_BLOCK;
            int i1 = Math.min(m, i0 + ROW_BLOCK);
            rows(transA, i0, i1, n, k, a, aOff, lda, b, bOff, ldb, packed, firstPacked, panels, c, cOff, ldc,
                    accumulate);
        });
    }

    private static void packB(boolean transB, int n, int k, float[] b, int bOff, int ldb, float[] bp, int first,
                              int panels) {
        for (int jp = first; jp < panels; jp++) {
            int j0 = jp * NR;
            int w = Math.min(NR, n - j0);
            int base = (jp - first) * k * NR;
            if (w < NR) {
                // the ragged panel's padding columns, zeroed in one pass
                java.util.Arrays.fill(bp, base, base + k * NR, 0f);
            }
            if (transB) {
                // p outer: sequential writes, and the w source rows stay in L1 while p advances
                for (int p = 0; p < k; p++) {
                    int dst = base + p * NR;
                    int src = bOff + j0 * ldb + p;
                    for (int jj = 0; jj < w; jj++) {
                        bp[dst + jj] = b[src + jj * ldb];
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, bOff + p * ldb + j0, bp, dst, w);
                }
            }
        }
    }

    private static void rows(boolean transA, int i0, int i1, int n, int k, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float[] bp, int firstPacked, int panels,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        int blocks = (i1 - i0 + MR - 1) / MR;
        int ragged = (i1 - i0) % MR;
        // the ragged last row block, zero-padded to MR rows, as [p][MR]
        float[][] edges = EDGES.get();
        float[] edge = null;
        if (ragged != 0) {
            if (edges[1].length < k * MR) {
                edges[1] = new float[k * MR];
            }
            edge = edges[1];
            java.util.Arrays.fill(edge, 0, k * MR, 0f);
            int r0 = i0 + (blocks - 1) * MR;
            for (int ii = 0; ii < ragged; ii++) {
                for (int p = 0; p < k; p++) {
                    edge[p * MR + ii] = transA ? a[aOff + p * lda + r0 + ii] : a[aOff + (r0 + ii) * lda + p];
                }
            }
        }
        int aStrideI = transA ? 1 : lda;
        int aStrideP = transA ? lda : 1;
        // rows and columns of the tile past the edge hold what an earlier call left: their lanes are never stored
        float[] tile = edges[0];
        for (int k0 = 0; k0 < k; k0 += KC) {
            int k1 = Math.min(k, k0 + KC);
            boolean fromZero = k0 == 0 && !accumulate;
            for (int jp = 0; jp < panels; jp++) {
                int j0 = jp * NR;
                int w = Math.min(NR, n - j0);
                boolean inPlace = jp < firstPacked;
                float[] bArr = inPlace ? b : bp;
                int bi = inPlace ? bOff + k0 * ldb + j0 : ((jp - firstPacked) * k + k0) * NR;
                int sb = inPlace ? ldb : NR;
                for (int rb = 0; rb < blocks; rb++) {
                    int r0 = i0 + rb * MR;
                    int h = Math.min(MR, i1 - r0);
                    float[] aArr = h == MR ? a : edge;
                    int ai = h == MR ? aOff + r0 * aStrideI + k0 * aStrideP : k0 * MR;
                    int si = h == MR ? aStrideI : 1;
                    int sp = h == MR ? aStrideP : MR;
                    if (h == MR && w == NR) {
                        micro(aArr, ai, si, sp, bArr, bi, sb, k1 - k0, c, cOff + r0 * ldc + j0, ldc, fromZero);
                    } else {
                        for (int ii = 0; ii < h; ii++) {
                            System.arraycopy(c, cOff + (r0 + ii) * ldc + j0, tile, ii * NR, w);
                        }
                        micro(aArr, ai, si, sp, bArr, bi, sb, k1 - k0, tile, 0, NR, fromZero);
                        for (int ii = 0; ii < h; ii++) {
                            System.arraycopy(tile, ii * NR, c, cOff + (r0 + ii) * ldc + j0, w);
                        }
                    }
                }
            }
        }
    }

    /**
     * One {@code MR x NR} tile of C at {@code c[co..]} (row stride {@code ldc}) plus {@code kc} rank-1
     * products: A element (row ii, step p) at {@code a[ai + ii * si + p * sp]}, B row p at {@code b[bi + p * sb ..]}.
     */
    private static void micro(float[] a, int ai, int si, int sp, float[] b, int bi, int sb, int kc,
                              float[] c, int co, int ldc, boolean fromZero) {
        FloatVector zero = FloatVector.zero(SPECIES);
        // C is only written when fromZero: the accumulators start from zero instead of loading it
        FloatVector c00 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co);
        FloatVector c01 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + VL);
        FloatVector c02 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 2 * VL);
        FloatVector c03 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 3 * VL);
        FloatVector c10 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + ldc);
        FloatVector c11 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + ldc + VL);
        FloatVector c12 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + ldc + 2 * VL);
        FloatVector c13 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + ldc + 3 * VL);
        FloatVector c20 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 2 * ldc);
        FloatVector c21 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 2 * ldc + VL);
        FloatVector c22 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 2 * ldc + 2 * VL);
        FloatVector c23 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 2 * ldc + 3 * VL);
        FloatVector c30 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 3 * ldc);
        FloatVector c31 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 3 * ldc + VL);
        FloatVector c32 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 3 * ldc + 2 * VL);
        FloatVector c33 = fromZero ? zero : FloatVector.fromArray(SPECIES, c, co + 3 * ldc + 3 * VL);
        for (int p = 0; p < kc; p++, ai += sp, bi += sb) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bi + VL);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bi + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bi + 3 * VL);
            FloatVector a0 = FloatVector.broadcast(SPECIES, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(SPECIES, a[ai + si]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(SPECIES, a[ai + 2 * si]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(SPECIES, a[ai + 3 * si]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + VL);
        c02.intoArray(c, co + 2 * VL);
        c03.intoArray(c, co + 3 * VL);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + VL);
        c12.intoArray(c, co + ldc + 2 * VL);
        c13.intoArray(c, co + ldc + 3 * VL);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + VL);
        c22.intoArray(c, co + 2 * ldc + 2 * VL);
        c23.intoArray(c, co + 2 * ldc + 3 * VL);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + VL);
        c32.intoArray(c, co + 3 * ldc + 2 * VL);
        c33.intoArray(c, co + 3 * ldc + 3 * VL);
    }
}
