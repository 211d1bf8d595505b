package org.modelbench.engine.graph;

import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Tensor;
import org.modelbench.engine.internal.Losses;

/**
 * Gradients of a classification {@link Network} in inference mode (no dropout, batch norm with its
 * moving statistics), for models that implement {@link org.modelbench.api.DifferentiableModel} and
 * {@link InspectableModel}. Parameter gradient buffers are touched but the weights never change.
 * Class scores are the pre-softmax values: the logits of a final softmax, else the outputs.
 */
public final class NetworkGradients {
    private NetworkGradients() {
    }

    /**
     * The gradient of each row's cross-entropy loss with respect to that row's input.
     *
     * @param batch  {@code [N, ...inputShape]}
     * @param labels {@code N} class indices
     * @return {@code [N, ...inputShape]}
     */
    public static Tensor lossGradient(Network network, Tensor batch, int[] labels, int threads) {
        LayerContext context = LayerContext.inferenceWithGradients(threads);
        Tensor out = network.forward(batch, context);
        int n = batch.batchSize();
        int k = classes(network, out, labels);
        float[] logits = network.endsInSoftmax() ? network.logits().data() : out.data();
        float[] g = new float[n * k];
        // the gradient of the batch-mean loss, times n: each row's own loss gradient
        Losses.crossEntropyFromLogits(logits, labels, k, g);
        for (int i = 0; i < g.length; i++) {
            g[i] *= n;
        }
        return network.backward(Tensor.of(out.shape(), g), context, network.endsInSoftmax());
    }

    /**
     * The outputs of node {@code node} and the gradient of each row's class score
     * {@code logit[classes[i]]} with respect to them.
     *
     * @param batch   {@code [N, ...inputShape]}
     * @param classes {@code N} class indices
     */
    public static InspectableModel.LayerGradient classScoreGradient(Network network, Tensor batch, String node,
                                                                    int[] classes, int threads) {
        LayerContext context = LayerContext.inferenceWithGradients(threads);
        Tensor out = network.forward(batch, context);
        int k = classes(network, out, classes);
        float[] g = new float[batch.batchSize() * k];
        for (int i = 0; i < classes.length; i++) {
            g[i * k + classes[i]] = 1f;
        }
        Tensor activations = network.output(node).copy();
        network.backward(Tensor.of(out.shape(), g), context, network.endsInSoftmax());
        Tensor gradient = network.gradient(node);
        return new InspectableModel.LayerGradient(activations,
                gradient == null ? Tensor.zeros(activations.shape()) : gradient.copy());
    }

    /** The outputs of node {@code node} for a batch, in inference mode. */
    public static Tensor activations(Network network, Tensor batch, String node, int threads) {
        network.layer(node);
        network.forward(batch, new LayerContext(false, 0, threads));
        return network.output(node).copy();
    }

    private static int classes(Network network, Tensor out, int[] labels) {
        int n = out.batchSize();
        int k = out.shape().size() / n;
        if (labels.length != n) {
            throw new InvalidInputException("network " + network.name() + ": " + labels.length + " class indices for "
                    + n + " rows; expected one per row");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new InvalidInputException("network " + network.name() + ": class " + labels[i] + " at row " + i
                        + " outside [0, " + k + ")");
            }
        }
        return k;
    }
}
