package org.modelbench.engine.graph;

import java.util.List;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.Layer;

/**
 * A layer that merges several inputs ({@code add}, {@code concat}). Its single-input
 * {@link Layer#forward}/{@link Layer#backward} apply to one input only; a {@link Network} calls
 * {@link #forwardAll} and {@link #backwardAll}.
 */
public interface MultiInputLayer extends Layer {

    /** The per-sample shape of each input, in order. */
    List<Shape> inputShapes();

    /**
     * @param inputs one batch per input, {@code [N, ...inputShapes().get(i)]}
     * @return {@code [N, ...outputShape()]}
     */
    Tensor forwardAll(List<Tensor> inputs, LayerContext context);

    /** The gradient with respect to each input, in order. */
    List<Tensor> backwardAll(Tensor outputGradient, LayerContext context);

    @Override
    default Tensor forward(Tensor input, LayerContext context) {
        return forwardAll(List.of(input), context);
    }

    @Override
    default Tensor backward(Tensor outputGradient, LayerContext context) {
        return backwardAll(outputGradient, context).get(0);
    }
}
