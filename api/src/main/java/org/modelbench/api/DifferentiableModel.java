package org.modelbench.api;

/**
 * A model that can tell how its loss changes with its input: the capability behind gradient
 * attacks (FGSM, PGD). Optional: callers test {@code model instanceof DifferentiableModel}.
 *
 * <p>Gradients are taken in inference mode (no dropout, batch norm with its moving statistics) and
 * never change the model. Like predictions, they are deterministic.
 */
public interface DifferentiableModel extends Model {

    /**
     * The gradient of each row's own cross-entropy loss {@code -log p(labels[i] | x_i)} with respect
     * to that row's input (not averaged over the batch).
     *
     * @param batch  {@code [N, ...sampleShape()]}, preprocessed as the model was trained
     * @param labels {@code N} class indices in {@code [0, classNames().size())}
     * @return {@code [N, ...sampleShape()]}
     * @throws InvalidInputException if the batch does not match {@link #sampleShape()} or a label is
     *                               out of range
     */
    Tensor lossGradient(Tensor batch, int[] labels);
}
