/** The measurements behind {@code modelbench bench}: engine, SGEMM reference, ONNX Runtime, PyTorch. */
package org.modelbench.bench.internal;
