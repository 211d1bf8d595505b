/**
 * A nearest-centroid classifier: training averages each class's feature vectors; prediction gives
 * class probabilities {@code softmax(-sharpness * d_k / mean(d))} over the squared Euclidean
 * distances {@code d_k} to the centroids.
 */
package org.modelbench.examples.hello;
