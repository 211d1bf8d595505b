package org.modelbench.engine.graph;

import java.util.Map;
import org.modelbench.api.Layer;
import org.modelbench.api.Tensor;

/**
 * A layer with learned state that is not trained by gradients, such as batch normalisation's
 * moving mean and variance. The state is saved with the model and may be set by importers.
 */
public interface StatefulLayer extends Layer {

    /** The state tensors by name, in a stable order; the tensors are live (writable). */
    Map<String, Tensor> state();
}
