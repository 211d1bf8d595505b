/**
 * Keras models without Python: the TensorFlow.js layers format ({@code model.json} with its
 * topology and weights manifest, plus the binary weight shards; float32 weights and uint8 or uint16
 * quantized weights with scale and min, float16 weights), Keras 3 {@code .keras} files and legacy
 * Keras {@code .h5} files (HDF5 read in pure Java by jHDF), all read into one {@link
 * org.modelbench.onnx.internal.keras.KerasModel} (the same Keras layer configs) and mapped onto an ONNX graph in
 * tf2onnx's layout (NHWC input, NCHW inside), so that the native import, cutting at a Keras layer
 * name, freezing, fine-tuning and export work as for any ONNX base. Nothing in a model file is
 * executed; every size in it is checked against the bytes present before anything is allocated.
 */
package org.modelbench.onnx.internal.keras;
