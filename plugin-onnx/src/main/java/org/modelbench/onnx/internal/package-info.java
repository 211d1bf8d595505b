/**
 * The plugin's internals: ONNX file loading and validation, TensorProto conversion, the ONNX
 * Runtime session holder, the pure-Java ONNX interpreter with backward passes ({@link
 * org.modelbench.onnx.internal.NativeGraph}), import with constant folding, export, and the
 * command-line tools. Nothing here is exported.
 */
package org.modelbench.onnx.internal;
