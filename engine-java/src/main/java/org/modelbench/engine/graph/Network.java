package org.modelbench.engine.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.modelbench.api.ConfigException;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Layer;
import org.modelbench.api.LayerContext;
import org.modelbench.api.ModelSummary;
import org.modelbench.api.Parameter;
import org.modelbench.api.RecordBinder;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.LayerProvider;
import org.modelbench.api.spi.ProviderCatalogue;
import org.modelbench.engine.config.Activation;
import org.modelbench.engine.internal.InferencePlan;
import org.modelbench.engine.internal.LayerProviders;
import org.modelbench.engine.internal.LayerRegistry;
import org.modelbench.engine.internal.ParameterGradients;
import org.modelbench.engine.internal.SoftmaxOutput;

/**
 * A feed-forward network: a directed acyclic graph of named {@link Layer} nodes in topological order
 * with one input (named {@value #INPUT}) and one output (the last node). A sequential model is the
 * special case where each node reads the previous one.
 *
 * <p>Lifecycle per batch: {@link #forward} (keeps every node's output, see {@link #output}), then
 * optionally {@link #backward}, which adds parameter gradients into each {@link Parameter#gradient()},
 * keeps the gradient of every node's output (see {@link #gradient}) and returns the gradient with
 * respect to the network input (for adversarial examples and saliency). Not thread-safe: one caller
 * at a time; layers parallelise internally over {@link LayerContext#threads()} with results that do
 * not depend on the thread count.
 */
public final class Network {
    /** The name by which nodes refer to the network input. */
    public static final String INPUT = "input";
    /** The largest array (floats) {@link #predict} keeps for its next call: 64 MiB. */
    private static final int MAX_KEPT_PREDICT_ARRAY = 1 << 24;

    /**
     * One node.
     *
     * @param name   unique name, e.g. {@code conv2d_1}
     * @param layer  the layer
     * @param inputs names of the nodes it reads ({@value #INPUT} for the network input)
     * @param config the layer config it was built from (for saving), or null for a layer instance
     */
    public record Node(String name, Layer layer, List<String> inputs, Record config) {
        public Node {
            inputs = List.copyOf(inputs);
        }
    }

    private final String name;
    private final Shape inputShape;
    private final List<Node> nodes;
    private final int[][] inputIndex;
    private final Map<String, Integer> indexByName;
    private Tensor[] outputs = new Tensor[0];
    private Tensor[] gradients = new Tensor[0];
    private final InferencePlan plan;
    /**
     * Per segment with a {@linkplain InferencePlan.Segment#transientOutput() transient output}, the output
     * array of the last {@link #predict}, for the next call of the same batch size: a seed CNN batch of 1000
     * would otherwise allocate 37 MB per call, which, beside training's kept arrays, cost the bench's
     * inference a full collection every few batches. Taken (and so not shared) while a call uses it.
     */
    private final AtomicReferenceArray<float[]> predictArrays;

    private Network(String name, Shape inputShape, List<Node> nodes) {
        this.name = name;
        this.inputShape = inputShape;
        this.nodes = List.copyOf(nodes);
        this.indexByName = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            indexByName.put(nodes.get(i).name(), i);
        }
        this.inputIndex = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            List<String> in = nodes.get(i).inputs();
            inputIndex[i] = new int[in.size()];
            for (int k = 0; k < in.size(); k++) {
                inputIndex[i][k] = in.get(k).equals(INPUT) ? -1 : indexByName.get(in.get(k));
            }
        }
        this.plan = InferencePlan.of(this.nodes.stream().map(Node::layer).toList(), inputIndex);
        this.predictArrays = new AtomicReferenceArray<>(nodes.size());
    }

    /**
     * A builder for a network called {@code name} (used in error messages) whose layers draw their
     * seeds from {@code seed}, from the engine's built-in layer types only.
     */
    public static Builder builder(String name, Shape inputShape, long seed) {
        return new Builder(name, inputShape, seed, true, LayerRegistry.builtIn());
    }

    /**
     * A builder whose layer specs may also name the layer types of {@code catalogue} (a plugin's
     * layers), as types or as the {@code activation} of {@code dense} and {@code conv2d}.
     */
    public static Builder builder(String name, Shape inputShape, long seed, ProviderCatalogue catalogue) {
        return new Builder(name, inputShape, seed, true, LayerRegistry.of(catalogue));
    }

    /**
     * A builder that only checks: each {@code add} binds the spec and computes the node's output
     * shape from its provider ({@code LayerProvider.outputShape}) without creating the layer or its
     * parameters, with the same messages as {@link #builder}; {@link Builder#outputShape()} gives
     * the result and {@link Builder#build()} is not available.
     */
    public static Builder shapeChecker(String name, Shape inputShape, ProviderCatalogue catalogue) {
        return new Builder(name, inputShape, 0, false, LayerRegistry.of(catalogue));
    }

    public String name() {
        return name;
    }

    /** Per-sample input shape. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Per-sample output shape (of the last node). */
    public Shape outputShape() {
        return nodes.get(nodes.size() - 1).layer().outputShape();
    }

    /** The nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The layer of node {@code nodeName}. */
    public Layer layer(String nodeName) {
        return nodes.get(index(nodeName)).layer();
    }

    private int index(String nodeName) {
        Integer i = indexByName.get(nodeName);
        if (i == null) {
            throw new InvalidInputException("network " + name + " has no node '" + nodeName + "'; expected one of "
                    + nodes.stream().map(Node::name).toList());
        }
        return i;
    }

    /** All parameters, node by node. */
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Node n : nodes) {
            all.addAll(n.layer().parameters());
        }
        return all;
    }

    /** Total number of parameter scalars. */
    public long parameterCount() {
        long count = 0;
        for (Node n : nodes) {
            count += n.layer().parameterCount();
        }
        return count;
    }

    /** Freezes ({@code false}) or unfreezes ({@code true}) every parameter of node {@code nodeName}. */
    public void setTrainable(String nodeName, boolean trainable) {
        for (Parameter p : layer(nodeName).parameters()) {
            p.setTrainable(trainable);
        }
    }

    /**
     * Runs a batch through every node.
     *
     * @param input   {@code [N, ...inputShape()]}
     * @param context training or inference; node {@code i} gets seed {@code mix(seed + i + 1)}
     * @return the last node's output, {@code [N, ...outputShape()]}
     */
    public Tensor forward(Tensor input, LayerContext context) {
        checkInput(input);
        Tensor[] out = new Tensor[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            out[i] = runNode(i, input, out, nodeContext(context, i));
        }
        outputs = out;
        gradients = new Tensor[nodes.size()];
        return out[out.length - 1];
    }

    /**
     * Plain inference, as fast as the engine can: like {@link #forward} with an inference context,
     * but node outputs are not kept (neither {@link #output} nor {@link #backward} see this pass)
     * and runs of convolution and pooling nodes run fused on blocks of samples (see
     * {@link InferencePlan}: Winograd 3x3 convolutions with fused bias, ReLU and 2x2 max pooling).
     * Each sample's result depends on that sample alone, never on the batch size or thread count;
     * it agrees with {@link #forward} up to rounding (relative 1e-6 typically).
     *
     * @param input   {@code [N, ...inputShape()]}
     * @param threads the threads layers may use
     * @return the last node's output, {@code [N, ...outputShape()]}
     */
    public Tensor predict(Tensor input, int threads) {
        checkInput(input);
        LayerContext context = new LayerContext(false, 0, threads);
        Tensor[] out = new Tensor[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            InferencePlan.Segment segment = plan.segmentAt(i);
            if (segment != null) {
                int j = inputIndex[i][0];
                float[] reuse = segment.transientOutput() ? predictArrays.getAndSet(i, null) : null;
                out[segment.last()] = plan.run(segment, j < 0 ? input : out[j], threads, reuse);
                i = segment.last();
                continue;
            }
            out[i] = runNode(i, input, out, nodeContext(context, i));
        }
        // every reader of a transient output has run: its array serves the next call
        for (InferencePlan.Segment segment : plan.segments()) {
            float[] used = out[segment.last()].data();
            if (segment.transientOutput() && used.length <= MAX_KEPT_PREDICT_ARRAY) {
                predictArrays.set(segment.first(), used);
            }
        }
        return out[out.length - 1];
    }

    /** What {@link #predict} fuses: per segment, its first and last node names and its stages. */
    public List<String> inferencePlan() {
        return plan.segments().stream().map(s -> nodes.get(s.first()).name() + ".." + nodes.get(s.last()).name()
                + " " + s.describe()).toList();
    }

    private Tensor runNode(int i, Tensor input, Tensor[] out, LayerContext c) {
        Layer layer = nodes.get(i).layer();
        if (layer instanceof MultiInputLayer merge) {
            List<Tensor> xs = new ArrayList<>();
            for (int j : inputIndex[i]) {
                xs.add(j < 0 ? input : out[j]);
            }
            return merge.forwardAll(xs, c);
        }
        int j = inputIndex[i][0];
        return layer.forward(j < 0 ? input : out[j], c);
    }

    private void checkInput(Tensor input) {
        if (input.shape().rank() != inputShape.rank() + 1 || !input.shape().withoutBatch().equals(inputShape)) {
            throw new InvalidInputException("network " + name + " expects batches of " + inputShape + ", got "
                    + input.shape());
        }
    }

    private static LayerContext nodeContext(LayerContext context, int i) {
        return new LayerContext(context.training(), RunContext.mix(context.seed() + i + 1), context.threads(),
                context.gradients());
    }

    /** The output of node {@code nodeName} in the last {@link #forward}. */
    public Tensor output(String nodeName) {
        Tensor t = index(nodeName) < outputs.length ? outputs[index(nodeName)] : null;
        if (t == null) {
            throw new IllegalStateException("no forward pass has run");
        }
        return t;
    }

    /** The gradient of the loss with respect to node {@code nodeName}'s output in the last {@link #backward}, or null if none flowed there. */
    public Tensor gradient(String nodeName) {
        int i = index(nodeName);
        return i < gradients.length ? gradients[i] : null;
    }

    /**
     * Back-propagates the last training {@link #forward}.
     *
     * @param outputGradient gradient of the loss with respect to the network output
     * @return the gradient with respect to the network input
     */
    public Tensor backward(Tensor outputGradient, LayerContext context) {
        return backward(outputGradient, context, false);
    }

    /** Whether the last node ends in a softmax whose logits the loss may use. */
    boolean endsInSoftmax() {
        return nodes.get(nodes.size() - 1).layer() instanceof SoftmaxOutput s && s.endsInSoftmax();
    }

    /** The last node's pre-softmax values of the last forward (only when {@link #endsInSoftmax()}). */
    Tensor logits() {
        return ((SoftmaxOutput) nodes.get(nodes.size() - 1).layer()).logits();
    }

    Tensor backward(Tensor outputGradient, LayerContext context, boolean gradientOfLogits) {
        return backward(outputGradient, context, gradientOfLogits, true);
    }

    /**
     * Back-propagates the last training {@link #forward}; without {@code wantInputGradient} (training
     * only needs the parameter gradients) nodes that read the network input and can skip their input
     * gradient ({@link ParameterGradients}) do, and the result is null.
     */
    Tensor backward(Tensor outputGradient, LayerContext context, boolean gradientOfLogits, boolean wantInputGradient) {
        if (outputs.length != nodes.size()) {
            throw new IllegalStateException("backward without a forward pass");
        }
        Tensor[] grads = new Tensor[nodes.size()];
        grads[nodes.size() - 1] = outputGradient;
        Tensor inputGradient = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Tensor g = grads[i];
            if (g == null) {
                continue;
            }
            Layer layer = nodes.get(i).layer();
            LayerContext c = nodeContext(context, i);
            List<Tensor> inGrads;
            if (layer instanceof MultiInputLayer merge) {
                inGrads = merge.backwardAll(g, c);
            } else if (gradientOfLogits && i == nodes.size() - 1) {
                inGrads = List.of(((SoftmaxOutput) layer).backwardFromLogits(g, c));
            } else if (!wantInputGradient && inputIndex[i][0] < 0 && layer instanceof ParameterGradients p) {
                p.backwardParameters(g, c);
                continue;
            } else {
                inGrads = List.of(layer.backward(g, c));
            }
            for (int k = 0; k < inputIndex[i].length; k++) {
                int j = inputIndex[i][k];
                Tensor add = inGrads.get(k);
                if (j < 0) {
                    inputGradient = sum(inputGradient, add);
                } else {
                    grads[j] = sum(grads[j], add);
                }
            }
        }
        gradients = grads;
        return inputGradient;
    }

    private static Tensor sum(Tensor a, Tensor b) {
        if (a == null) {
            return b;
        }
        float[] s = a.data().clone();
        float[] bd = b.data();
        for (int i = 0; i < s.length; i++) {
            s[i] += bd[i];
        }
        return Tensor.of(a.shape(), s);
    }

    /**
     * Checks a layer spec without building anything: its {@code type} is a known layer type (built
     * in or of {@code catalogue}) and its other keys bind to that type's config.
     *
     * @param keyPath where the spec sits in its file (e.g. {@code layers[2]})
     * @throws ConfigException naming {@code keyPath.type} or the offending key, and what was expected
     */
    public static void checkSpec(Map<String, ?> spec, String keyPath, ProviderCatalogue catalogue) {
        bindSpec(spec, keyPath, t -> "layer type '" + t + "'", LayerRegistry.of(catalogue));
    }

    /**
     * A layer spec bound to its type's config; {@code name} is null for a generated one;
     * {@code activation} is the bound config of a layer type named as its {@code activation}
     * (applied as a node of its own after it), or null.
     */
    private record BoundSpec(String type, Record config, String name, String[] inputs, BoundSpec activation) {
    }

    private static BoundSpec bindSpec(Map<String, ?> spec, String keyPath, java.util.function.Function<String, String> where,
                                      LayerRegistry layers) {
        Object type = spec.get("type");
        if (!(type instanceof String t)) {
            throw new ConfigException(keyPath + ".type", where.apply(String.valueOf(type))
                    + ": expected a layer type (one of " + layers.knownTypes() + "), got " + type);
        }
        LayerProvider<?> provider = layers.find(t);
        if (provider == null) {
            throw new ConfigException(keyPath + ".type", where.apply(t) + ": unknown layer type; expected one of "
                    + layers.knownTypes() + " (a plugin's layer types need its jar in the plugins folder)");
        }
        Map<String, Object> rest = new LinkedHashMap<>(spec);
        rest.remove("type");
        Object nodeName = rest.remove("name");
        Object inputs = rest.remove("inputs");
        String[] in = new String[0];
        if (inputs instanceof List<?> list) {
            in = list.stream().map(String::valueOf).toArray(String[]::new);
        } else if (inputs != null) {
            in = new String[] {String.valueOf(inputs)};
        }
        BoundSpec activation = layerActivation(rest, provider, keyPath, where.apply(t), layers);
        try {
            Record config = RecordBinder.bind(rest, provider.configType(), keyPath);
            return new BoundSpec(t, config, nodeName == null ? null : String.valueOf(nodeName), in, activation);
        } catch (ConfigException e) {
            throw new ConfigException(e.key(), where.apply(t) + ": " + e.expectation());
        }
    }

    /**
     * When {@code spec}'s {@code activation} names a layer type rather than a built-in
     * {@link Activation} (e.g. a plugin's {@code swish}), replaces it by {@code linear} in
     * {@code spec} and returns that layer type bound to its defaults; else null.
     */
    private static BoundSpec layerActivation(Map<String, Object> spec, LayerProvider<?> provider, String keyPath,
                                             String where, LayerRegistry layers) {
        if (!(spec.get("activation") instanceof String name) || isBuiltInActivation(name)
                || java.util.Arrays.stream(provider.configType().getRecordComponents())
                        .noneMatch(c -> c.getName().equals("activation") && c.getType() == Activation.class)) {
            return null;
        }
        LayerProvider<?> activation = layers.find(name);
        if (activation == null) {
            throw new ConfigException(keyPath + ".activation", where + ": expected one of "
                    + java.util.Arrays.stream(Activation.values()).map(Activation::specName)
                            .collect(java.util.stream.Collectors.joining(", "))
                    + " or a layer type without parameters (one of " + layers.knownTypes() + "), got " + name);
        }
        Record config;
        try {
            config = RecordBinder.bind(Map.of(), activation.configType(), keyPath + ".activation");
        } catch (ConfigException e) {
            throw new ConfigException(keyPath + ".activation", where + ": layer type '" + name
                    + "' needs settings (" + e.expectation() + "); add it as a layer of its own");
        }
        spec.put("activation", Activation.LINEAR.specName());
        return new BoundSpec(name, config, null, new String[0], null);
    }

    private static boolean isBuiltInActivation(String name) {
        String normal = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return java.util.Arrays.stream(Activation.values()).anyMatch(a -> a.name().equals(normal));
    }

    /** A Keras-style summary: one row per node. */
    public ModelSummary summary() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        for (Node n : nodes) {
            Layer l = n.layer();
            boolean trainable = l.parameters().isEmpty() || l.parameters().stream().anyMatch(Parameter::trainable);
            rows.add(new ModelSummary.Row(n.name(), l.type(), l.outputShape(), l.parameterCount(), trainable));
        }
        return new ModelSummary(name, rows);
    }

    /**
     * Builds a network node by node; each node's input shapes are known when it is added, so shape
     * errors surface at once, naming the network, the 1-based layer index and the layer type.
     */
    public static final class Builder {
        private final String name;
        private final Shape inputShape;
        private final long seed;
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Shape> shapes = new LinkedHashMap<>();
        private final Map<String, Integer> typeCounts = new HashMap<>();
        private final boolean createLayers;
        private final LayerRegistry layers;
        private long storedFloats;

        private Builder(String name, Shape inputShape, long seed, boolean createLayers, LayerRegistry layers) {
            this.name = name;
            this.inputShape = inputShape;
            this.seed = seed;
            this.createLayers = createLayers;
            this.layers = layers;
            shapes.put(INPUT, inputShape);
        }

        /** The per-sample output shape of the last node added (the input's if none). */
        public Shape outputShape() {
            return shapes.get(last());
        }

        /** The per-sample output shape of node {@code nodeName} ({@value #INPUT} for the input). */
        public Shape shapeOf(String nodeName) {
            Shape s = shapes.get(nodeName);
            if (s == null) {
                throw new InvalidInputException("model " + name + ": no node named '" + nodeName + "'");
            }
            return s;
        }

        /**
         * The floats that the parameters and state of the nodes added so far hold (or, in a shape
         * checker, would hold once created): what a weights file stores for them. Layer types whose
         * provider cannot tell without creating the layer (plugin types) count zero in a shape checker.
         */
        public long storedFloats() {
            return storedFloats;
        }

        /** The name of the last node added ({@value #INPUT} if none). */
        public String last() {
            return nodes.isEmpty() ? INPUT : nodes.get(nodes.size() - 1).name();
        }

        private String where(String type) {
            return "model " + name + ", layer " + (nodes.size() + 1) + " (" + type + ")";
        }

        private List<String> inputsOr(String[] inputs) {
            return inputs.length == 0 ? List.of(last()) : Arrays.asList(inputs);
        }

        /** Adds a ready layer instance reading {@code inputs} (default: the last node). */
        public Builder add(String nodeName, Layer layer, String... inputs) {
            List<String> in = inputsOr(inputs);
            for (String i : in) {
                shapeOf(i);
            }
            if (!(layer instanceof MultiInputLayer) && !layer.inputShape().equals(shapes.get(in.get(0)))) {
                throw new InvalidInputException(where(layer.type()) + ": expects input " + layer.inputShape()
                        + " but node '" + in.get(0) + "' gives " + shapes.get(in.get(0)));
            }
            return put(new Node(nodeName, layer, in, null), layer.outputShape());
        }

        private Builder put(Node node, Shape outputShape) {
            if (shapes.containsKey(node.name())) {
                throw new InvalidInputException("model " + name + ": duplicate node name '" + node.name() + "'");
            }
            nodes.add(node);
            shapes.put(node.name(), outputShape);
            return this;
        }

        /**
         * Adds a layer of {@code type} (a layer provider id of this builder's catalogue) with a bound config.
         *
         * @param nodeName the node's name, or null for a Keras-style {@code type_k} name
         */
        public Builder add(String nodeName, String type, Record config, String... inputs) {
            LayerProvider<?> provider = layers.find(type);
            if (provider == null) {
                throw new InvalidInputException(where(type) + ": unknown layer type; expected one of "
                        + layers.knownTypes());
            }
            if (!provider.configType().isInstance(config)) {
                throw new IllegalArgumentException(type + " needs a " + provider.configType().getSimpleName());
            }
            String nn = nodeName != null ? nodeName : type + "_" + typeCounts.merge(type, 1, Integer::sum);
            List<String> in = inputsOr(inputs);
            long layerSeed = RunContext.mix(seed + 0x632BE59BD9B4E019L * (nodes.size() + 1));
            Layer layer = null;
            Shape out;
            try {
                List<Shape> inShapes = in.stream().map(this::shapeOf).toList();
                if (provider instanceof LayerProviders.Merge merge) {
                    layer = merge.createMerge(inShapes);
                    out = layer.outputShape();
                } else {
                    if (in.size() != 1) {
                        throw new InvalidInputException("takes exactly one input, got " + in);
                    }
                    if (createLayers) {
                        layer = provider.createUnchecked(config, inShapes.get(0), layerSeed);
                        out = layer.outputShape();
                    } else {
                        out = outputShapeOf(provider, config, inShapes.get(0));
                    }
                    if (provider instanceof LayerProviders.Sized<?> sized) {
                        storedFloats = Math.addExact(storedFloats, storedFloatsOf(sized, config, inShapes.get(0)));
                    }
                }
            } catch (ConfigException e) {
                throw new ConfigException(e.key(), where(type) + ": " + e.expectation());
            } catch (InvalidInputException e) {
                throw new InvalidInputException(where(type) + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(where(type) + ": " + e.getMessage(), e);
            } catch (ArithmeticException e) {
                throw new InvalidInputException(where(type) + ": its parameter count overflows a 64-bit integer", e);
            }
            return put(new Node(nn, layer, in, config), out);
        }

        /**
         * Adds a layer from a spec map such as {@code {type: conv2d, filters: 32, kernel: 3}}; graph
         * specs may also hold {@code name} and {@code inputs} (a list of node names). An
         * {@code activation} that names a parameter-free layer type (e.g. a plugin's) becomes a node
         * of that type after a linear one; the pair's output keeps the spec's {@code name}, and the
         * linear node is called {@code NAME_linear}.
         *
         * @param keyPath where the spec sits in its file, for messages (e.g. {@code layers[2]})
         */
        public Builder add(Map<String, ?> spec, String keyPath) {
            BoundSpec b = bindSpec(spec, keyPath, this::where, layers);
            if (b.activation() == null) {
                return add(b.name(), b.type(), b.config(), b.inputs());
            }
            add(b.name() == null ? null : b.name() + "_linear", b.type(), b.config(), b.inputs());
            Shape before = outputShape();
            add(b.name(), b.activation().type(), b.activation().config());
            if (!outputShape().equals(before)) {
                throw new ConfigException(keyPath + ".activation", where(b.activation().type())
                        + ": an activation must keep its input's shape " + before + ", but gives " + outputShape());
            }
            return this;
        }

        @SuppressWarnings("unchecked")
        private static <C extends Record> long storedFloatsOf(LayerProviders.Sized<C> sized, Record config, Shape input) {
            return sized.storedFloats((C) config, input);
        }

        @SuppressWarnings("unchecked")
        private static <C extends Record> Shape outputShapeOf(LayerProvider<C> provider, Record config, Shape input) {
            return provider.outputShape((C) config, input);
        }

        /** The network; it has at least one node. */
        public Network build() {
            if (!createLayers) {
                throw new IllegalStateException("a shape checker builds no network");
            }
            if (nodes.isEmpty()) {
                throw new InvalidInputException("model " + name + " has no layers");
            }
            return new Network(name, inputShape, nodes);
        }
    }
}
