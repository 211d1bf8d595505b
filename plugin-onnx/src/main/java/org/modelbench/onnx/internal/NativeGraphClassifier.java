package org.modelbench.onnx.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.modelbench.api.InspectableModel;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.provenance.ModelProvenance;
import org.modelbench.onnx.config.PreprocessingConfig;

/**
 * A {@link GraphClassifier} on the native interpreter, which can also differentiate: input
 * gradients of the loss (for gradient attacks) and the activations and class-score gradients of
 * its intermediate values (for activation maps and Grad-CAM).
 *
 * <p>Layers are the batch-first floating-point values the graph computes from its input on the way
 * to the output, named by their ONNX value names, in topological order. Class scores are the
 * pre-softmax values: the input of the final Softmax node (through Identity nodes) when the output
 * comes from one, else the output itself. Gradients are taken with respect to the raw (not yet
 * preprocessed) batch, through the bilinear resize, scale, mean, std, greyToRgb and the NHWC
 * transpose. Batches are split into passes sized from the memory budget. Everything runs in inference mode and leaves the parameters
 * and their gradient buffers untouched.
 */
public final class NativeGraphClassifier extends GraphClassifier implements InspectableModel {
    private final NativeGraph graph;
    private final String input;
    private final String scores;
    private Map<String, LayerInfo> layers;

    private record LayerInfo(Shape shape, String type) {
    }

    /**
     * @param feedNhwc whether the graph's input is NHWC (the preprocessed NCHW batch is transposed)
     * @param graph    the imported {@code onnx} graph
     * @param output   the value that holds the class scores
     */
    public NativeGraphClassifier(String familyId, Shape sampleShape, List<String> classNames,
                                 PreprocessingConfig preprocessing, boolean feedNhwc, ModelProto onnx, NativeGraph graph,
                                 String output, long parameterCount, ModelSummary summary, ModelProvenance provenance) {
        this(familyId, sampleShape, classNames, preprocessing, feedNhwc, onnx, graph, output, parameterCount, summary,
                provenance, nativeRunner(graph, output), MemoryBudget.of(null));
    }

    /**
     * A classifier whose predictions come from {@code runner} (for example a frozen part on ONNX
     * Runtime followed by the rest of {@code graph}), in passes sized from {@code budget}; activations
     * and gradients come from {@code graph}, in passes sized the same way.
     */
    public NativeGraphClassifier(String familyId, Shape sampleShape, List<String> classNames,
                                 PreprocessingConfig preprocessing, boolean feedNhwc, ModelProto onnx, NativeGraph graph,
                                 String output, long parameterCount, ModelSummary summary, ModelProvenance provenance,
                                 Function<Value, Value> runner, MemoryBudget budget) {
        super(familyId, sampleShape, classNames, preprocessing, feedNhwc, onnx, output, runner,
                parameterCount, summary, provenance, budget.samplesPerPass(bytesPerSample(graph, output, sampleShape,
                        preprocessing, feedNhwc), MAX_PASS));
        if (graph.inputs().size() != 1) {
            throw new InvalidInputException(graph.where() + ": a classifier needs exactly one input, found "
                    + graph.inputs().size());
        }
        this.graph = graph;
        this.input = graph.inputs().get(0).name();
        String logits = softmaxInput(onnx, output);
        this.scores = logits != null ? logits : output;
    }

    /** Bytes per sample of a pass that keeps every value (gradients need them all; prediction needs fewer). */
    private static long bytesPerSample(NativeGraph graph, String output, Shape sampleShape,
                                       PreprocessingConfig preprocessing, boolean feedNhwc) {
        Tensor zero = Tensor.zeros(Preprocessing.outputShape(preprocessing, sampleShape).withBatch(1));
        Value fed = feedNhwc ? Preprocessing.toNhwc(zero) : Value.floats(zero.shape().dims(), zero.data());
        return 2 * MemoryBudget.nativeBytesPerSample(graph, graph.inputs().get(0).name(), fed, List.of(output));
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The layers, from a forward pass of one zero sample on first use. */
    private synchronized Map<String, LayerInfo> layers() {
        if (layers != null) {
            return layers;
        }
        List<NativeGraph.Node> plan = graph.plan(List.of(output()));
        Set<String> fromInput = new HashSet<>(Set.of(input));
        List<String> candidates = new java.util.ArrayList<>();
        for (NativeGraph.Node n : plan) {
            if (n.inputs().stream().anyMatch(fromInput::contains)) {
                for (String o : n.outputs()) {
                    if (!o.isEmpty()) {
                        fromInput.add(o);
                        candidates.add(o);
                    }
                }
            }
        }
        Map<String, Value> probe = graph.run(Map.of(input, feed(Tensor.zeros(sampleShape().withBatch(1)))), candidates,
                1);
        Map<String, LayerInfo> found = new LinkedHashMap<>();
        for (NativeGraph.Node n : plan) {
            for (String o : n.outputs()) {
                Value v = candidates.contains(o) ? probe.get(o) : null;
                if (v == null || !v.isFloating() || v.rank() < 2 || v.dim(0) != 1
                        || Arrays.stream(v.dims()).anyMatch(d -> d < 1)) {
                    continue;
                }
                Shape shape = Shape.of(Arrays.copyOfRange(v.dims(), 1, v.rank()));
                found.put(o, new LayerInfo(shape, type(n, shape, found)));
            }
        }
        layers = found;
        return layers;
    }

    /**
     * A layer's type: {@code conv2d} for a 2-D Conv, {@code dense} for Gemm, the lower-cased operator
     * otherwise; an activation applied to a convolution's or dense layer's sole output is named after
     * both ({@code conv2d+relu}), as the engine and Keras fuse them, so that Grad-CAM's "last
     * convolution" is the activated one.
     */
    private String type(NativeGraph.Node node, Shape shape, Map<String, LayerInfo> before) {
        String op = node.opType();
        if (op.equals("Conv")) {
            return "conv" + (shape.rank() - 1) + "d";
        }
        if (op.equals("Gemm")) {
            return "dense";
        }
        String lower = op.toLowerCase(Locale.ROOT);
        if (ACTIVATIONS.contains(op) && !node.inputs().isEmpty()) {
            String from = node.inputs().get(0);
            LayerInfo producer = before.get(from);
            long consumers = graph.nodes().stream().filter(n -> n.inputs().contains(from)).count();
            if (producer != null && consumers == 1 && (producer.type().startsWith("conv") || producer.type().equals("dense"))) {
                return producer.type() + "+" + lower;
            }
        }
        return lower;
    }

    private static final Set<String> ACTIVATIONS = Set.of("Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh",
            "HardSigmoid", "HardSwish", "Softplus", "Clip", "PRelu", "Gelu", "Mish");

    private LayerInfo layer(String layer) {
        LayerInfo info = layers().get(layer);
        if (info == null) {
            throw new InvalidInputException("model " + familyId() + ": no layer '" + layer + "'; layers are "
                    + layers().keySet());
        }
        return info;
    }

    @Override
    public List<String> layerNames() {
        return List.copyOf(layers().keySet());
    }

    @Override
    public Shape layerShape(String layer) {
        return layer(layer).shape();
    }

    @Override
    public String layerType(String layer) {
        return layer(layer).type();
    }

    @Override
    public synchronized Tensor activations(Tensor batch, String layer) {
        checkBatch(batch);
        Shape shape = layer(layer).shape();
        return inParts(batch, samplesPerPass(), part -> {
            Value v = graph.run(Map.of(input, feed(part)), List.of(layer), threads()).get(layer);
            return Tensor.of(shape.withBatch(part.batchSize()), v.floatData().clone());
        });
    }

    /** Checks one class index per row, each in range. */
    private void checkClasses(int n, int[] classes) {
        int k = classNames().size();
        if (classes.length != n) {
            throw new InvalidInputException("model " + familyId() + ": " + classes.length + " class indices for " + n
                    + " rows; expected one per row");
        }
        for (int i = 0; i < n; i++) {
            if (classes[i] < 0 || classes[i] >= k) {
                throw new InvalidInputException("model " + familyId() + ": class " + classes[i] + " at row " + i
                        + " outside [0, " + k + ")");
            }
        }
    }

    /** Runs the graph with a tape up to the output (and {@code also}); returns the class scores. */
    private Value forward(NativeGraph.Tape tape, Value fed, int n, String... also) {
        List<String> wanted = new java.util.ArrayList<>(List.of(output()));
        wanted.addAll(List.of(also));
        graph.forward(Map.of(input, fed), wanted, tape, false, 0, threads());
        Value s = tape.values.get(scores);
        int k = classNames().size();
        if (s == null || s.size() != n * k) {
            throw new InvalidInputException("model " + familyId() + ": class scores '" + scores + "' have dims "
                    + (s == null ? "none" : Arrays.toString(s.dims())) + ", expected " + k
                    + " values per sample (one per class)");
        }
        return s;
    }

    @Override
    public synchronized Tensor lossGradient(Tensor batch, int[] labels) {
        checkBatch(batch);
        checkClasses(batch.batchSize(), labels);
        int[] from = {0};
        return inParts(batch, samplesPerPass(), part -> {
            int[] partLabels = Arrays.copyOfRange(labels, from[0], from[0] + part.batchSize());
            from[0] += part.batchSize();
            return lossGradientPart(part, partLabels);
        });
    }

    private Tensor lossGradientPart(Tensor batch, int[] labels) {
        int n = batch.batchSize();
        int k = classNames().size();
        NativeGraph.Tape tape = new NativeGraph.Tape();
        Value fed = feed(batch);
        Value s = forward(tape, fed, n);
        // d(-log softmax(z)[y]) / dz = softmax(z) - onehot(y), per row
        float[] g = s.floatData().clone();
        softmaxRows(g, n, k);
        for (int i = 0; i < n; i++) {
            g[i * k + labels[i]] -= 1f;
        }
        Value grad = graph.backward(tape, Map.of(scores, Value.floats(s.dims(), g)), List.of(input), false).get(input);
        return gradientToRaw(batch.shape(), grad);
    }

    @Override
    public synchronized LayerGradient classScoreGradient(Tensor batch, String layer, int[] classes) {
        checkBatch(batch);
        int n = batch.batchSize();
        checkClasses(n, classes);
        if (n <= samplesPerPass()) {
            return classScoreGradientPart(batch, layer, classes);
        }
        int[] from = {0};
        // activations and gradients part by part; activations collected beside the joined gradients
        float[] acts = new float[Math.multiplyExact(n, layer(layer).shape().size())];
        Tensor gradients = inParts(batch, samplesPerPass(), part -> {
            int m = part.batchSize();
            LayerGradient g = classScoreGradientPart(part, layer, Arrays.copyOfRange(classes, from[0], from[0] + m));
            System.arraycopy(g.activations().data(), 0, acts, from[0] * layer(layer).shape().size(),
                    g.activations().data().length);
            from[0] += m;
            return g.gradient();
        });
        return new LayerGradient(Tensor.of(layer(layer).shape().withBatch(n), acts), gradients);
    }

    private LayerGradient classScoreGradientPart(Tensor batch, String layer, int[] classes) {
        int n = batch.batchSize();
        Shape shape = layer(layer).shape().withBatch(n);
        int k = classNames().size();
        NativeGraph.Tape tape = new NativeGraph.Tape();
        Value s = forward(tape, feed(batch), n, layer);
        float[] seed = new float[n * k];
        for (int i = 0; i < n; i++) {
            seed[i * k + classes[i]] = 1f;
        }
        Value grad = graph.backward(tape, Map.of(scores, Value.floats(s.dims(), seed)), List.of(layer), false)
                .get(layer);
        Tensor activations = Tensor.of(shape, tape.values.get(layer).floatData().clone());
        return new LayerGradient(activations, Tensor.of(shape, grad.floatData().clone()));
    }
}
