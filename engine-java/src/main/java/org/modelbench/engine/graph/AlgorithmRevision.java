package org.modelbench.engine.graph;

/**
 * The revision of the engine's numerical algorithms: how its layers (Conv2DLayer's forward and backward
 * products, pooling, normalisation, activations, losses), its optimisers and {@link NetworkTrainer}, and the
 * ONNX plugin's interpreter kernels built on them compute, in which order, and so how they round.
 * A trial records it in its provenance as the {@value #DETAIL} detail; {@code reproduce} names a differing
 * revision as the reason for differing numbers, the way it names a different SGEMM kernel or blocking rule
 * ({@code Sgemm.provenance()}).
 *
 * <p><b>Bump {@link #CURRENT} when any training or inference computation changes its rounding</b>: another
 * summation order, another product decomposition (im2col against direct, Winograd, grouped or per-sample
 * products), a fused step that rounds once where it rounded twice, a new initialiser draw order. A change that
 * keeps every bit (a faster kernel with the same summation order, a refactoring) leaves it as it is; the
 * engine's bit-identity tests tell which of the two a change is. The SGEMM kernel and its blocking rule are
 * recorded apart ({@code sgemm}), so a change there alone needs no bump.
 *
 * <p>Trials written before revisions were recorded have no {@value #DETAIL} detail: their revision is unknown.
 */
public final class AlgorithmRevision {
    /**
     * The current revision. 1: the conv training products of 2026-12-02 (full-row backward, band gradients)
     * and everything before them, as first recorded. 2: the ONNX interpreter's inference convolutions with 3x3
     * kernels, stride 1 and many channels and tiles run Winograd F(2x2,3x3) (2026-12-02).
     */
    public static final int CURRENT = 2;

    /** The provenance detail that records the revision a trial was computed with. */
    public static final String DETAIL = "engineRevision";

    private AlgorithmRevision() {
    }

    /** {@link #CURRENT} as the {@value #DETAIL} detail's value, e.g. {@code "1"}. */
    public static String provenance() {
        return String.valueOf(CURRENT);
    }
}
