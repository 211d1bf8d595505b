/**
 * The engine's compute kernels, exported as a stable kernel API for other modules (the ONNX
 * interpreter, the benchmarks): {@link org.modelbench.engine.kernels.Sgemm}, the one
 * single-precision matrix multiply every layer goes through, and
 * {@link org.modelbench.engine.kernels.Parallel}, the deterministic task splitter it runs on.
 *
 * <p>Stability: the public signatures here change only with a major engine version. Results are
 * bit-for-bit reproducible whatever the thread count. The Java kernels (Vector API or scalar) give
 * the same bits as each other, every element one chain of fused multiply-adds ({@code Sgemm.javaGemm});
 * {@code Sgemm.gemm} may run OpenBLAS instead (the native path, {@code -Dmodelbench.engine.blas}), whose
 * bits depend on the product's shape and the OpenBLAS core, which provenance records
 * ({@code Sgemm.provenance()}).
 */
package org.modelbench.engine.kernels;
