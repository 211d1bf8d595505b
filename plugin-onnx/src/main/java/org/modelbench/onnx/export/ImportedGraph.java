package org.modelbench.onnx.export;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.onnx.internal.NativeGraph;
import org.modelbench.onnx.internal.OnnxImporter;
import org.modelbench.onnx.internal.OnnxModelFile;
import org.modelbench.onnx.internal.Value;

/**
 * An ONNX file imported into the plugin's trainable pure-Java interpreter, with one input and one
 * output, seen through api types: for other modules that train or time an imported graph (the
 * benchmarks' fine-tuning figure). Not thread-safe: one caller at a time.
 *
 * <p>Lifecycle of a training step: {@link #trainingForward}, then {@link #backward} with the
 * gradient of the loss with respect to that output, which adds into each
 * {@link Parameter#gradient()} of {@link #parameters()} (zero them first); the caller updates the
 * values. {@link #run} is plain inference.
 */
public final class ImportedGraph {
    private final NativeGraph graph;
    private final String input;
    private final String output;
    private NativeGraph.Tape tape;

    private ImportedGraph(NativeGraph graph) {
        this.graph = graph;
        this.input = graph.inputs().get(0).name();
        this.output = graph.outputs().get(0);
    }

    /**
     * Imports {@code onnx}.
     *
     * @throws org.modelbench.api.InvalidInputException for a file that is not a model the interpreter can run
     */
    public static ImportedGraph read(Path onnx) {
        return new ImportedGraph(OnnxImporter.importModel(OnnxModelFile.load(onnx)));
    }

    /** The input's dimensions as the file declares them, batch first. */
    public int[] inputDims() {
        return graph.inputs().get(0).dims();
    }

    /** Every parameter (initialiser) of the graph, in a stable order; all are made trainable here. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(graph.parameters().values());
        all.forEach(p -> p.setTrainable(true));
        return all;
    }

    /** The output for {@code batch} in training mode, keeping what {@link #backward} needs. */
    public Tensor trainingForward(Tensor batch, long seed, int threads) {
        tape = new NativeGraph.Tape();
        return tensor(graph.forward(Map.of(input, value(batch)), List.of(), tape, true, seed, threads).get(output));
    }

    /** Back-propagates the last {@link #trainingForward} into the parameters' gradients (no input gradient). */
    public void backward(Tensor outputGradient) {
        if (tape == null) {
            throw new IllegalStateException("backward without a training forward pass");
        }
        graph.backward(tape, Map.of(output, value(outputGradient)), List.of());
        tape = null;
    }

    /** The output for {@code batch} in inference mode. */
    public Tensor run(Tensor batch, int threads) {
        return tensor(graph.run(Map.of(input, value(batch)), List.of(), threads).get(output));
    }

    private static Value value(Tensor t) {
        return Value.floats(t.shape().dims(), t.data());
    }

    private static Tensor tensor(Value v) {
        return Tensor.of(Shape.of(v.dims()), v.floatData());
    }
}
