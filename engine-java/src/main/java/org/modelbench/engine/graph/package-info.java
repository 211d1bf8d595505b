/**
 * Networks of engine layers for other modules: build a {@link org.modelbench.engine.graph.Network}
 * (sequential or a graph with residual adds and concatenations) from layer configs or layer
 * instances, run it forward with access to every node's output, back-propagate to parameter
 * gradients and to the input gradient (Grad-CAM, FGSM/PGD), freeze layers, and train it with a
 * {@link org.modelbench.engine.graph.NetworkTrainer}. Tensors are float32, NCHW, row-major.
 */
package org.modelbench.engine.graph;
