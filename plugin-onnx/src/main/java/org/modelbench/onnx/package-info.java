/** ONNX Runtime, and import of ONNX graphs into the native engine. */
package org.modelbench.onnx;
