/**
 * Typed configuration of the engine: one record per layer type (what a layer spec such as
 * {@code {type: conv2d, filters: 32, kernel: [3, 3], activation: relu}} binds to, minus its
 * {@code type}), the optimiser, schedule and early-stopping settings, and one record per model
 * family. Records validate themselves in their compact constructors and fill defaults for missing
 * ({@code null}) components; they are bound with {@link org.modelbench.api.RecordBinder}, so this
 * package is opened to {@code org.modelbench.api}. It is exported so that other modules (the ONNX
 * importer) can describe layers for {@link org.modelbench.engine.graph.Network.Builder}.
 */
package org.modelbench.engine.config;
