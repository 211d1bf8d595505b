package org.modelbench.engine.kernels;

/**
 * How the Vector API SGEMM cuts a product into pieces: a register tile of {@code mr} rows by
 * {@code nv} vectors of columns, and cache blocks of {@code kc} steps of the inner dimension,
 * {@code mc} rows and {@code nc} columns (the packed B block is {@code kc x nc}, the packed A
 * block {@code mc x kc}, a B micro-panel {@code kc x nv * lanes}).
 *
 * <p>The tiling never changes a bit of the result: each element of C is the same chain of fused
 * multiply-adds over the inner dimension in ascending order whatever the tiles ({@code SgemmTest}
 * checks this), so it is chosen for speed alone.
 */
public record SgemmTiling(int mr, int nv, int kc, int mc, int nc) {
    /** The register tiles that have a micro-kernel. */
    static final int[][] MICRO_KERNELS = {{6, 4}, {8, 3}, {6, 2}};

    public SgemmTiling {
        boolean known = false;
        for (int[] t : MICRO_KERNELS) {
            known |= t[0] == mr && t[1] == nv;
        }
        if (!known) {
            throw new IllegalArgumentException("no micro-kernel for a " + mr + " x " + nv + "-vector tile; have 6x4, 8x3, 6x2");
        }
        if (kc < 1 || mc < mr || nc < 1) {
            throw new IllegalArgumentException("cache blocks must be positive and mc >= mr: kc " + kc + ", mc " + mc
                    + ", nc " + nc);
        }
    }

    /**
     * The tiling for a machine: with 32 vector registers (AVX-512, also when 256-bit vectors are
     * chosen) a 6 x 4-vector tile (24 accumulators), else 6 x 2 (12 of 16 registers). {@code kc}
     * (at most 384: long inner loops amortise the tile's loads and stores of C) keeps a B
     * micro-panel in a quarter of L2, {@code mc} the packed A block in another quarter, {@code nc}
     * the packed B block in half the core's L3 share (at most 4096 columns).
     *
     * @param lanes floats per vector
     * @param registers32 whether the CPU has 32 vector registers
     */
    public static SgemmTiling forMachine(int lanes, boolean registers32, CpuCaches caches) {
        int mr = 6;
        int nv = registers32 ? 4 : 2;
        int nr = nv * lanes;
        int kc = clamp((int) (caches.l2() / 4 / (4L * nr)) / 8 * 8, 32, 384);
        int mc = clamp((int) (caches.l2() / 4 / (4L * kc)) / mr * mr, mr * 4, 1020);
        int nc = clamp((int) (Math.max(caches.l3PerCore(), caches.l2()) / 2 / (4L * kc)) / nr * nr, nr * 4, 4096 / nr * nr);
        return new SgemmTiling(mr, nv, kc, mc, nc);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** {@code "6x4v kc384 mc168 nc4096"}. */
    @Override
    public String toString() {
        return mr + "x" + nv + "v kc" + kc + " mc" + mc + " nc" + nc;
    }
}
