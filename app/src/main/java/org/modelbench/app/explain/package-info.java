/**
 * Seeing inside trained models, generically over the optional capabilities of {@code api}
 * ({@link org.modelbench.api.DifferentiableModel}, {@link org.modelbench.api.InspectableModel}):
 * gradient attacks (FGSM, PGD, with a random-noise baseline and transfer from a surrogate),
 * Grad-CAM heatmaps, activation grids and the PNG images that show them.
 */
package org.modelbench.app.explain;
