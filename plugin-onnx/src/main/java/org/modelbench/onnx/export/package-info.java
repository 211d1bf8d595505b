/**
 * The ONNX plugin's one exported package: {@link org.modelbench.onnx.export.OnnxExport}, engine
 * networks to ONNX bytes. Everything else of the plugin is internal and exported to no module.
 */
package org.modelbench.onnx.export;
