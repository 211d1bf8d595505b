/**
 * The engine's compute kernels, exported as a stable kernel API for other modules (the ONNX
 * interpreter, the benchmarks): {@link org.modelbench.engine.kernels.Sgemm}, the one
 * single-precision matrix multiply every layer goes through, and
 * {@link org.modelbench.engine.kernels.Parallel}, the deterministic task splitter it runs on.
 *
 * <p>Stability: the public signatures here change only with a major engine version. Results are
 * bit-for-bit reproducible whatever the thread count and whichever kernel (Vector API or scalar)
 * runs; a faster kernel must keep that rounding contract (see {@code Sgemm}).
 */
package org.modelbench.engine.kernels;
