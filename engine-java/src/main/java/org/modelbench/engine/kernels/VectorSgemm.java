package org.modelbench.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel behind {@link Sgemm}, in the GotoBLAS/BLIS layout: for each block of
 * {@code nc} columns and {@code kc} inner steps, op(B) is packed into zero-padded micro-panels of
 * {@code kc x nr} ({@code nr = nv} vectors) and op(A) into micro-panels of {@code kc x mr}; the
 * micro-kernel keeps an {@code mr x nr} tile of C in registers ({@code mr * nv} accumulators) over
 * the {@code kc} steps. The tiling ({@link SgemmTiling}) comes from the machine: the vector width
 * ({@code -Dmodelbench.engine.vectorBits=256|512}, default the JVM's preferred width), the number of
 * vector registers and the cache sizes ({@link CpuCaches}); {@code -Dmodelbench.engine.tiling=6x4:384:168:4096}
 * overrides it.
 *
 * <p>Every element of C is {@code c = fma(a[i][p], b[p][j], c)} for {@code p} ascending, the same
 * rounding as {@link Sgemm#scalar}: padding rows and columns only ever meet padding, a C tile is
 * stored and reloaded exactly between {@code kc} blocks, and threads split rows and columns of C,
 * never the inner dimension. So the vector width, the tiling and the thread count never change a bit.
 */
final class VectorSgemm {
    static final VectorSpecies<Float> SPECIES = species(System.getProperty("modelbench.engine.vectorBits", ""));
    static final int VL = SPECIES.length();
    static final SgemmTiling TILING = tiling(System.getProperty("modelbench.engine.tiling", ""));
    /** A's packed rows per pass, so that scratch stays bounded whatever m is. */
    private static final int MAX_PACKED_ROWS = 4096;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private VectorSgemm() {
    }

    private static VectorSpecies<Float> species(String bits) {
        return switch (bits) {
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            case "", "auto" -> FloatVector.SPECIES_PREFERRED;
            default -> throw new IllegalArgumentException("modelbench.engine.vectorBits: expected 256, 512 or auto, got '"
                    + bits + "'");
        };
    }

    private static SgemmTiling tiling(String spec) {
        if (spec.isEmpty()) {
            // AVX-512 (the preferred species has 16 lanes) brings 32 vector registers, whatever width is used
            boolean registers32 = FloatVector.SPECIES_PREFERRED.length() >= 16;
            return SgemmTiling.forMachine(VL, registers32, CpuCaches.ofThisMachine());
        }
        String[] f = spec.split("[x:]");
        if (f.length != 5) {
            throw new IllegalArgumentException("modelbench.engine.tiling: expected MRxNV:KC:MC:NC, got '" + spec + "'");
        }
        try {
            return new SgemmTiling(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("modelbench.engine.tiling: expected MRxNV:KC:MC:NC, got '" + spec + "'");
        }
    }

    /**
     * Whether a product is large enough for the packed kernel; smaller and thin ones (the shapes of
     * small convolutions and dense layers) run {@link InPlaceSgemm}. Both give the same bits.
     */
    static boolean packs(int m, int n, int k) {
        return Math.min(m, n) >= 128 && Math.max(m, n) >= 512 && k >= 128;
    }

    /** {@code C = op(A) * op(B)} ({@code accumulate == false}; C is only written) or {@code C += op(A) * op(B)}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        if (!packs(m, n, k)) {
            InPlaceSgemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
            return;
        }
        gemm(TILING, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, threads);
    }

    /** {@link #gemm} with a given tiling (tests and benchmarks compare tilings). */
    static void gemm(SgemmTiling t, boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        int mr = t.mr();
        int nr = t.nv() * VL;
        // k in equal blocks of at most t.kc() (no short last block)
        int kBlocks = (k + t.kc() - 1) / t.kc();
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.min(roundUp(n, nr), Math.max(nr, t.nc() / nr * nr));
        int passRows = Math.min(roundUp(m, mr), MAX_PACKED_ROWS / mr * mr);
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < kcMax * ncMax) {
            scratch[0] = new float[kcMax * ncMax];
        }
        if (scratch[1].length < kcMax * passRows) {
            scratch[1] = new float[kcMax * passRows];
        }
        float[] bp = scratch[0];
        float[] ap = scratch[1];
        long work = (long) m * n * k;
        int useThreads = work < 65_536 ? 1 : Math.max(1, threads);
        for (int jc = 0; jc < n; jc += ncMax) {
            int jc0 = jc;
            int nc = Math.min(ncMax, n - jc);
            int bPanels = (nc + nr - 1) / nr;
            for (int pc = 0; pc < k; pc += kcMax) {
                int pc0 = pc;
                int kc = Math.min(kcMax, k - pc);
                boolean fromZero = pc == 0 && !accumulate;
                for (int ic = 0; ic < m; ic += passRows) {
                    int base = ic;
                    int rows = Math.min(passRows, m - ic);
                    int aPanels = (rows + mr - 1) / mr;
                    int bTasks = ic == 0 ? (bPanels + 3) / 4 : 0;
                    int aTasks = (aPanels + 15) / 16;
                    // pack: groups of 16 A micro-panels, then (on the first pass) groups of 4 B micro-panels
                    Parallel.forEach(aTasks + bTasks, useThreads, task -> {
                        if (task < aTasks) {
                            for (int q = task * 16; q < Math.min(aPanels, task * 16 + 16); q++) {
                                int r0 = base + q * mr;
                                packA(transA, a, aOff, lda, r0, Math.min(mr, m - r0), pc0, kc, mr, ap, q * mr * kc);
                            }
                        } else {
                            int g = task - aTasks;
                            for (int q = g * 4; q < Math.min(bPanels, g * 4 + 4); q++) {
                                int j0 = jc0 + q * nr;
                                packB(transB, b, bOff, ldb, j0, Math.min(nr, n - j0), pc0, kc, nr, bp, q * nr * kc);
                            }
                        }
                    });
                    // compute: row blocks of about mc rows, as many as a multiple of the threads;
                    // with fewer row blocks than threads, column groups split them further
                    int rowBlocks = (rows + t.mc() - 1) / t.mc();
                    int colGroups = 1;
                    if (useThreads > 1) {
                        if (rowBlocks >= useThreads) {
                            rowBlocks = roundUp(rowBlocks, useThreads);
                        } else {
                            colGroups = Math.min(bPanels, useThreads * 2);
                        }
                    }
                    int mcRows = roundUp((rows + rowBlocks - 1) / rowBlocks, mr);
                    int blocks = (rows + mcRows - 1) / mcRows;
                    int perGroup = (bPanels + colGroups - 1) / colGroups;
                    int groups = (bPanels + perGroup - 1) / perGroup;
                    Parallel.forEach(blocks * groups, useThreads, task -> {
                        int i0 = task / groups * mcRows;
                        int jp0 = task % groups * perGroup;
                        block(t, ap, bp, i0, Math.min(rows, i0 + mcRows), jp0, Math.min(bPanels, jp0 + perGroup), kc,
                                base, jc0, m, n, c, cOff, ldc, fromZero);
                    });
                }
            }
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }

    /** Rows {@code r0 .. r0+h} of op(A), steps {@code pc .. pc+kc}, as {@code [p][mr]} (zero rows past h). */
    private static void packA(boolean transA, float[] a, int aOff, int lda, int r0, int h, int pc, int kc, int mr,
                              float[] ap, int dst) {
        if (h < mr) {
            java.util.Arrays.fill(ap, dst, dst + kc * mr, 0f);
        }
        if (transA) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(a, aOff + (pc + p) * lda + r0, ap, dst + p * mr, h);
            }
        } else {
            for (int ii = 0; ii < h; ii++) {
                int src = aOff + (r0 + ii) * lda + pc;
                for (int p = 0; p < kc; p++) {
                    ap[dst + p * mr + ii] = a[src + p];
                }
            }
        }
    }

    /** Columns {@code j0 .. j0+w} of op(B), steps {@code pc .. pc+kc}, as {@code [p][nr]} (zero columns past w). */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int j0, int w, int pc, int kc, int nr,
                              float[] bp, int dst) {
        if (w < nr) {
            java.util.Arrays.fill(bp, dst, dst + kc * nr, 0f);
        }
        if (transB) {
            for (int jj = 0; jj < w; jj++) {
                int src = bOff + (j0 + jj) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    bp[dst + p * nr + jj] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (pc + p) * ldb + j0, bp, dst + p * nr, w);
            }
        }
    }

    /**
     * Packed rows {@code i0 .. i1} (of this pass, which starts at row {@code base} of C) times B
     * micro-panels {@code jp0 .. jp1}: each B micro-panel stays in L1 while the A micro-panels stream.
     */
    private static void block(SgemmTiling t, float[] ap, float[] bp, int i0, int i1, int jp0, int jp1, int kc,
                              int base, int jc, int m, int n, float[] c, int cOff, int ldc, boolean fromZero) {
        int mr = t.mr();
        int nr = t.nv() * VL;
        float[] tile = null;
        for (int jp = jp0; jp < jp1; jp++) {
            int j0 = jc + jp * nr;
            int w = Math.min(nr, n - j0);
            int bi = jp * nr * kc;
            for (int r = i0; r < i1; r += mr) {
                int row = base + r;
                int h = Math.min(mr, m - row);
                int ai = r * kc;
                if (h == mr && w == nr) {
                    micro(t, ap, ai, bp, bi, kc, c, cOff + row * ldc + j0, ldc, fromZero);
                } else {
                    // a ragged tile runs on a copy padded to mr x nr
                    if (tile == null) {
                        tile = new float[mr * nr];
                    }
                    if (!fromZero) {
                        for (int ii = 0; ii < h; ii++) {
                            System.arraycopy(c, cOff + (row + ii) * ldc + j0, tile, ii * nr, w);
                        }
                    }
                    micro(t, ap, ai, bp, bi, kc, tile, 0, nr, fromZero);
                    for (int ii = 0; ii < h; ii++) {
                        System.arraycopy(tile, ii * nr, c, cOff + (row + ii) * ldc + j0, w);
                    }
                }
            }
        }
    }

    /**
     * One {@code mr x nr} tile of C at {@code c[co..]} (row stride {@code ldc}) plus {@code kc} rank-1
     * products of the packed micro-panels {@code a[ai..]} ({@code [p][mr]}) and {@code b[bi..]}
     * ({@code [p][nr]}); the accumulators start from zero instead of C when {@code z}.
     */
    private static void micro(SgemmTiling t, float[] a, int ai, float[] b, int bi, int kc, float[] c, int co, int ldc,
                              boolean z) {
        switch (t.mr() * 10 + t.nv()) {
            case 64 -> micro6x4(a, ai, b, bi, kc, c, co, ldc, z);
            case 83 -> micro8x3(a, ai, b, bi, kc, c, co, ldc, z);
            case 62 -> micro6x2(a, ai, b, bi, kc, c, co, ldc, z);
            default -> throw new IllegalStateException("no micro-kernel " + t);
        }
    }

    private static FloatVector load(float[] c, int i, boolean zero) {
        return zero ? FloatVector.zero(SPECIES) : FloatVector.fromArray(SPECIES, c, i);
    }

    private static void micro6x4(float[] a, int ai, float[] b, int bi, int kc, float[] c, int co, int ldc, boolean z) {
        final int vl = VL;
        FloatVector c00 = load(c, co, z), c01 = load(c, co + vl, z), c02 = load(c, co + 2 * vl, z), c03 = load(c, co + 3 * vl, z);
        int r1 = co + ldc, r2 = co + 2 * ldc, r3 = co + 3 * ldc, r4 = co + 4 * ldc, r5 = co + 5 * ldc;
        FloatVector c10 = load(c, r1, z), c11 = load(c, r1 + vl, z), c12 = load(c, r1 + 2 * vl, z), c13 = load(c, r1 + 3 * vl, z);
        FloatVector c20 = load(c, r2, z), c21 = load(c, r2 + vl, z), c22 = load(c, r2 + 2 * vl, z), c23 = load(c, r2 + 3 * vl, z);
        FloatVector c30 = load(c, r3, z), c31 = load(c, r3 + vl, z), c32 = load(c, r3 + 2 * vl, z), c33 = load(c, r3 + 3 * vl, z);
        FloatVector c40 = load(c, r4, z), c41 = load(c, r4 + vl, z), c42 = load(c, r4 + 2 * vl, z), c43 = load(c, r4 + 3 * vl, z);
        FloatVector c50 = load(c, r5, z), c51 = load(c, r5 + vl, z), c52 = load(c, r5 + 2 * vl, z), c53 = load(c, r5 + 3 * vl, z);
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * 4 * vl;
            int ao = ai + p * 6;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bo + vl);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bo + 2 * vl);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bo + 3 * vl);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(SPECIES, a[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(SPECIES, a[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(SPECIES, a[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(SPECIES, a[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(SPECIES, a[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52); c53 = x.fma(b3, c53);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + vl); c02.intoArray(c, co + 2 * vl); c03.intoArray(c, co + 3 * vl);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + vl); c12.intoArray(c, r1 + 2 * vl); c13.intoArray(c, r1 + 3 * vl);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + vl); c22.intoArray(c, r2 + 2 * vl); c23.intoArray(c, r2 + 3 * vl);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + vl); c32.intoArray(c, r3 + 2 * vl); c33.intoArray(c, r3 + 3 * vl);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + vl); c42.intoArray(c, r4 + 2 * vl); c43.intoArray(c, r4 + 3 * vl);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + vl); c52.intoArray(c, r5 + 2 * vl); c53.intoArray(c, r5 + 3 * vl);
    }

    private static void micro8x3(float[] a, int ai, float[] b, int bi, int kc, float[] c, int co, int ldc, boolean z) {
        final int vl = VL;
        int r1 = co + ldc, r2 = co + 2 * ldc, r3 = co + 3 * ldc, r4 = co + 4 * ldc, r5 = co + 5 * ldc, r6 = co + 6 * ldc, r7 = co + 7 * ldc;
        FloatVector c00 = load(c, co, z), c01 = load(c, co + vl, z), c02 = load(c, co + 2 * vl, z);
        FloatVector c10 = load(c, r1, z), c11 = load(c, r1 + vl, z), c12 = load(c, r1 + 2 * vl, z);
        FloatVector c20 = load(c, r2, z), c21 = load(c, r2 + vl, z), c22 = load(c, r2 + 2 * vl, z);
        FloatVector c30 = load(c, r3, z), c31 = load(c, r3 + vl, z), c32 = load(c, r3 + 2 * vl, z);
        FloatVector c40 = load(c, r4, z), c41 = load(c, r4 + vl, z), c42 = load(c, r4 + 2 * vl, z);
        FloatVector c50 = load(c, r5, z), c51 = load(c, r5 + vl, z), c52 = load(c, r5 + 2 * vl, z);
        FloatVector c60 = load(c, r6, z), c61 = load(c, r6 + vl, z), c62 = load(c, r6 + 2 * vl, z);
        FloatVector c70 = load(c, r7, z), c71 = load(c, r7 + vl, z), c72 = load(c, r7 + 2 * vl, z);
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * 3 * vl;
            int ao = ai + p * 8;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bo + vl);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bo + 2 * vl);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(SPECIES, a[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(SPECIES, a[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(SPECIES, a[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(SPECIES, a[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(SPECIES, a[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51); c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(SPECIES, a[ao + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61); c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(SPECIES, a[ao + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71); c72 = x.fma(b2, c72);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + vl); c02.intoArray(c, co + 2 * vl);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + vl); c12.intoArray(c, r1 + 2 * vl);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + vl); c22.intoArray(c, r2 + 2 * vl);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + vl); c32.intoArray(c, r3 + 2 * vl);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + vl); c42.intoArray(c, r4 + 2 * vl);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + vl); c52.intoArray(c, r5 + 2 * vl);
        c60.intoArray(c, r6); c61.intoArray(c, r6 + vl); c62.intoArray(c, r6 + 2 * vl);
        c70.intoArray(c, r7); c71.intoArray(c, r7 + vl); c72.intoArray(c, r7 + 2 * vl);
    }

    private static void micro6x2(float[] a, int ai, float[] b, int bi, int kc, float[] c, int co, int ldc, boolean z) {
        final int vl = VL;
        int r1 = co + ldc, r2 = co + 2 * ldc, r3 = co + 3 * ldc, r4 = co + 4 * ldc, r5 = co + 5 * ldc;
        FloatVector c00 = load(c, co, z), c01 = load(c, co + vl, z);
        FloatVector c10 = load(c, r1, z), c11 = load(c, r1 + vl, z);
        FloatVector c20 = load(c, r2, z), c21 = load(c, r2 + vl, z);
        FloatVector c30 = load(c, r3, z), c31 = load(c, r3 + vl, z);
        FloatVector c40 = load(c, r4, z), c41 = load(c, r4 + vl, z);
        FloatVector c50 = load(c, r5, z), c51 = load(c, r5 + vl, z);
        for (int p = 0; p < kc; p++) {
            int bo = bi + p * 2 * vl;
            int ao = ai + p * 6;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bo);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bo + vl);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ao]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ao + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ao + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ao + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ao + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ao + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + vl);
        c10.intoArray(c, r1); c11.intoArray(c, r1 + vl);
        c20.intoArray(c, r2); c21.intoArray(c, r2 + vl);
        c30.intoArray(c, r3); c31.intoArray(c, r3 + vl);
        c40.intoArray(c, r4); c41.intoArray(c, r4 + vl);
        c50.intoArray(c, r5); c51.intoArray(c, r5 + vl);
    }
}
