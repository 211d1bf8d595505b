/**
 * A nearest-centroid classifier: training averages each class's feature vectors; prediction gives
 * class probabilities {@code softmax(-sharpness * d_k / mean(d))} over the squared Euclidean
 * distances {@code d_k} to the centroids. And a layer type, {@code hello-swish}
 * ({@code x * sigmoid(beta * x)}), that engine models use in their layer specs like a built-in one.
 */
package org.modelbench.examples.hello;
