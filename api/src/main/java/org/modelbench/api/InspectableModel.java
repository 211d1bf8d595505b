package org.modelbench.api;

import java.util.List;

/**
 * A layered model whose intermediate outputs can be read, and whose class scores can be
 * differentiated with respect to them: the capability behind activation maps and Grad-CAM.
 * Optional: callers test {@code model instanceof InspectableModel}.
 *
 * <p>Everything runs in inference mode and never changes the model.
 */
public interface InspectableModel extends DifferentiableModel {

    /** The names of the layers whose outputs can be read, in forward order (the last one is the output). */
    List<String> layerNames();

    /** The per-sample output shape of layer {@code layer}, e.g. {@code [C, H, W]} for a convolution. */
    Shape layerShape(String layer);

    /** The kind of layer {@code layer}, e.g. {@code conv2d}, {@code dense}; {@code unknown} by default. */
    default String layerType(String layer) {
        return "unknown";
    }

    /**
     * The outputs of {@code layer} for a batch.
     *
     * @param batch {@code [N, ...sampleShape()]}, preprocessed as the model was trained
     * @return {@code [N, ...layerShape(layer)]}
     * @throws InvalidInputException for an unknown layer name (naming the known ones) or a bad batch
     */
    Tensor activations(Tensor batch, String layer);

    /**
     * The material of Grad-CAM: the outputs of {@code layer} and the gradient of each row's class
     * score (the pre-softmax value of {@code classes[i]}) with respect to them.
     *
     * @param batch   {@code [N, ...sampleShape()]}
     * @param layer   a name from {@link #layerNames()}
     * @param classes {@code N} class indices, one per row
     * @return activations and gradients, both {@code [N, ...layerShape(layer)]}
     */
    LayerGradient classScoreGradient(Tensor batch, String layer, int[] classes);

    /**
     * A layer's outputs and the gradient of a score with respect to them.
     *
     * @param activations {@code [N, ...layerShape]}
     * @param gradient    {@code [N, ...layerShape]}
     */
    record LayerGradient(Tensor activations, Tensor gradient) {
        public LayerGradient {
            if (!activations.shape().equals(gradient.shape())) {
                throw new IllegalArgumentException("activations " + activations.shape() + " but gradient "
                        + gradient.shape());
            }
        }
    }
}
