/**
 * The ONNX plugin's one exported package, a small stable API in api types for other modules:
 * {@link org.modelbench.onnx.export.OnnxExport} (engine networks to ONNX bytes) and
 * {@link org.modelbench.onnx.export.ImportedGraph} (an ONNX file in the trainable interpreter:
 * training forward, backward, inference). Everything else of the plugin is internal and exported
 * to no module.
 */
package org.modelbench.onnx.export;
