/**
 * Configuration records of the ONNX model families, bound from manifests by
 * {@link org.modelbench.api.RecordBinder}: {@link org.modelbench.onnx.config.OnnxConfig} for
 * {@code onnx} (a frozen model run by ONNX Runtime) and {@link org.modelbench.onnx.config.TransferConfig}
 * for {@code onnx-transfer} (an imported base with an engine head, trained and fine-tuned).
 */
package org.modelbench.onnx.config;
