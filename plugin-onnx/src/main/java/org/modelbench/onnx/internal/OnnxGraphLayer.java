package org.modelbench.onnx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.Parameter;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * An imported ONNX graph (or the part of it up to a cut point) as one engine {@link Layer}, so that
 * engine networks can put a head on it and train it. Inputs are NCHW batches; for a model whose
 * input is NHWC (as tf2onnx exports Keras models) the layer transposes them first. The output is
 * the cut value as the graph computes it, batch first.
 *
 * <p>Backward adds into the gradients of the graph's trainable parameters and returns the
 * gradient with respect to the input. Nodes whose parameters are all frozen run in inference mode.
 */
public final class OnnxGraphLayer implements Layer {
    private final NativeGraph graph;
    private final String input;
    private final String output;
    private final boolean nhwc;
    private final Shape inputShape;
    private final Shape outputShape;
    private final NativeGraph.Tape tape = new NativeGraph.Tape();
    private int[] fedDims;

    /**
     * @param graph      the imported graph
     * @param output     the value to return (a graph output or a cut point's value)
     * @param nhwc       whether the graph's input is NHWC
     * @param inputShape the per-sample input shape, CHW
     */
    public OnnxGraphLayer(NativeGraph graph, String output, boolean nhwc, Shape inputShape) {
        this(graph, soleInput(graph), output, nhwc, inputShape);
    }

    /**
     * The part of {@code graph} from the value {@code input} (a graph input or an intermediate value,
     * fed as is) to {@code output}; its nodes before {@code input} do not run.
     *
     * @param inputShape the per-sample shape of {@code input} (CHW when {@code nhwc}, else as the graph holds it)
     */
    public OnnxGraphLayer(NativeGraph graph, String input, String output, boolean nhwc, Shape inputShape) {
        this.graph = graph;
        this.input = input;
        this.output = output;
        this.nhwc = nhwc;
        this.inputShape = inputShape;
        Value probe = graph.run(Map.of(input, toValue(Tensor.zeros(inputShape.withBatch(1)))), List.of(output), 1)
                .get(output);
        if (probe.rank() < 2 || probe.dim(0) != 1) {
            throw new InvalidInputException(graph.where() + ": value '" + output + "' is not batch-first (dims "
                    + java.util.Arrays.toString(probe.dims()) + " for one sample)");
        }
        this.outputShape = Shape.of(java.util.Arrays.copyOfRange(probe.dims(), 1, probe.rank()));
    }

    private static String soleInput(NativeGraph graph) {
        if (graph.inputs().size() != 1) {
            throw new InvalidInputException(graph.where() + ": a base model needs exactly one input, found "
                    + graph.inputs().size());
        }
        return graph.inputs().get(0).name();
    }

    public NativeGraph graph() {
        return graph;
    }

    /** The value this layer is fed (the graph's input, or an intermediate value). */
    public String inputValue() {
        return input;
    }

    public String outputValue() {
        return output;
    }

    public boolean nhwc() {
        return nhwc;
    }

    @Override
    public String type() {
        return "onnx-graph";
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public List<Parameter> parameters() {
        return new ArrayList<>(graph.parameters().values());
    }

    private Value toValue(Tensor batch) {
        return nhwc && batch.shape().rank() == 4 ? Preprocessing.toNhwc(batch)
                : Value.floats(batch.shape().dims(), batch.data());
    }

    private Tensor fromNhwcGradient(Value g, int[] nchw) {
        return nhwc && nchw.length == 4 ? Preprocessing.fromNhwc(g, nchw) : Tensor.of(Shape.of(nchw), g.floatData());
    }

    @Override
    public Tensor forward(Tensor batch, LayerContext context) {
        if (!batch.shape().withoutBatch().equals(inputShape)) {
            throw new InvalidInputException(graph.where() + ": expects batches of " + inputShape + ", got "
                    + batch.shape());
        }
        fedDims = batch.shape().dims();
        Value out = graph.forward(Map.of(input, toValue(batch)), List.of(output), context.keepsForBackward() ? tape : null,
                context.training(), context.seed(), context.threads()).get(output);
        return Tensor.of(Shape.of(out.dims()), out.floatData());
    }

    @Override
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        if (fedDims == null) {
            throw new IllegalStateException("backward without a forward pass that kept its values (training or gradients)");
        }
        Map<String, Value> grads = graph.backward(tape,
                Map.of(output, Value.floats(outputGradient.shape().dims(), outputGradient.data())), List.of(input));
        return fromNhwcGradient(grads.get(input), fedDims);
    }
}
