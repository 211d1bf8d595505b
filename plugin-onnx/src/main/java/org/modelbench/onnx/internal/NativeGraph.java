package org.modelbench.onnx.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.Parameter;
import org.modelbench.api.RunContext;
import org.modelbench.api.Shape;
import org.modelbench.api.Tensor;

/**
 * An imported ONNX graph in pure Java: nodes in topological order, each a {@link Kernel};
 * learnable initializers as {@link Parameter}s (trainable unless frozen); everything else that is
 * constant (including sub-graphs folded at import) as constant values.
 *
 * <p>Lifecycle of a training step: {@link #forward} with a {@link Tape}, then {@link #backward}
 * with the gradients of the wanted outputs, which adds into the gradients of trainable parameters.
 * A node whose learnable inputs are all frozen runs in inference mode (a frozen
 * BatchNormalization uses its running statistics), and no gradient flows into a part of the graph
 * that reaches no trainable parameter.
 */
public final class NativeGraph {

    /**
     * One node.
     *
     * @param name    the ONNX node name (or a generated one)
     * @param opType  the ONNX operator
     * @param kernel  its computation
     * @param inputs  input value names ("" for omitted optional inputs)
     * @param outputs output value names
     * @param source  the ONNX node, kept for export
     */
    public record Node(String name, String opType, Kernel kernel, List<String> inputs, List<String> outputs,
                       OnnxNode source) {
    }

    /** The values one forward pass saw, for {@link #backward}. */
    public static final class Tape {
        final Map<String, Value> values = new HashMap<>();
        final List<Node> ran = new ArrayList<>();
        /** The Relu nodes whose producer ({@link ReluFolding}) applied them in its own forward pass. */
        final Set<Node> foldedRelus = new HashSet<>();
        boolean training;
        long seed;
        int threads;
    }

    private final String where;
    private final List<Node> nodes;
    private final Map<String, Value> constants;
    private final LinkedHashMap<String, Parameter> parameters;
    private final List<OnnxModelFile.Port> inputs;
    private final List<String> outputs;
    private final Map<String, Node> producers = new HashMap<>();
    private final BufferPool pool = new BufferPool();

    NativeGraph(String where, List<Node> nodes, Map<String, Value> constants, LinkedHashMap<String, Parameter> parameters,
                List<OnnxModelFile.Port> inputs, List<String> outputs) {
        this.where = where;
        this.nodes = List.copyOf(nodes);
        this.constants = constants;
        this.parameters = parameters;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (Node n : nodes) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<OnnxModelFile.Port> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** Learnable parameters by initializer name, in graph order. */
    public Map<String, Parameter> parameters() {
        return parameters;
    }

    /** Constant values by name (non-learnable initializers and folded sub-graphs). */
    public Map<String, Value> constants() {
        return constants;
    }

    /** The model file or name this graph came from. */
    public String where() {
        return where;
    }

    /** Whether a value name exists in the graph (input, node output, constant or parameter). */
    public boolean hasValue(String name) {
        return producers.containsKey(name) || constants.containsKey(name) || parameters.containsKey(name)
                || inputs.stream().anyMatch(p -> p.name().equals(name));
    }

    /** Number of scalars in parameters and floating-point constants that came from initializers. */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : parameters.values()) {
            count += p.size();
        }
        return count;
    }

    /** Number of parameter scalars the nodes computing {@code wanted} read. */
    public long parameterCount(Collection<String> wanted) {
        Set<String> names = new HashSet<>();
        for (Node n : plan(wanted)) {
            for (String i : n.inputs()) {
                if (parameters.containsKey(i)) {
                    names.add(i);
                }
            }
        }
        return names.stream().mapToLong(i -> parameters.get(i).size()).sum();
    }

    /** The nodes that own learnable parameters ("layers"), in topological order. */
    public List<Node> layers() {
        return nodes.stream().filter(n -> n.inputs().stream().anyMatch(parameters::containsKey)).toList();
    }

    /** The parameters a node reads. */
    public List<Parameter> parametersOf(Node node) {
        return node.inputs().stream().filter(parameters::containsKey).map(parameters::get).toList();
    }

    /** Freezes every parameter. */
    public void freezeAll() {
        parameters.values().forEach(p -> p.setTrainable(false));
    }

    /** The value of input or constant {@code name} as the interpreter sees it. */
    private Value lookup(String name, Map<String, Value> values) {
        Value v = values.get(name);
        if (v != null) {
            return v;
        }
        v = constants.get(name);
        if (v != null) {
            return v;
        }
        Parameter p = parameters.get(name);
        if (p != null) {
            return Value.floats(p.value().shape().dims(), p.value().data());
        }
        return null;
    }

    /** The nodes needed for {@code wanted}, in topological order. */
    public List<Node> plan(Collection<String> wanted) {
        return plan(wanted, Set.of());
    }

    /**
     * The nodes needed for {@code wanted} when the values in {@code fed} are given (their producers
     * and everything only they need are left out), in topological order.
     */
    public List<Node> plan(Collection<String> wanted, Set<String> fed) {
        Set<Node> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(wanted);
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!seen.add(v) || fed.contains(v)) {
                continue;
            }
            Node n = producers.get(v);
            if (n != null && keep.add(n)) {
                for (String i : n.inputs()) {
                    if (!i.isEmpty()) {
                        todo.push(i);
                    }
                }
            } else if (n == null && !hasValue(v)) {
                throw new InvalidInputException(where + ": no value named '" + v + "' in the graph");
            }
        }
        return nodes.stream().filter(keep::contains).toList();
    }

    /** Inference: the wanted values (default: the graph outputs) for the given inputs. */
    public Map<String, Value> run(Map<String, Value> feeds, Collection<String> wanted, int threads) {
        return forward(feeds, wanted, null, false, 0, threads);
    }

    /**
     * Computes the wanted values. Inference passes (no tape) drop each value after its last use, so
     * that a pass holds only the values still needed.
     *
     * @param feeds    graph inputs by name, or intermediate values by name (the nodes that would
     *                 compute them do not run; gradients can be taken with respect to them)
     * @param wanted   value names to return (graph outputs when empty)
     * @param tape     receives what {@link #backward} needs; null for inference
     * @param training training mode (dropout; batch statistics in nodes with trainable parameters)
     * @param seed     the batch seed (each node derives its own)
     */
    public Map<String, Value> forward(Map<String, Value> feeds, Collection<String> wanted, Tape tape, boolean training,
                                      long seed, int threads) {
        Collection<String> targets = wanted == null || wanted.isEmpty() ? outputs : wanted;
        Map<String, Value> values = new HashMap<>();
        for (OnnxModelFile.Port p : inputs) {
            Value v = feeds.get(p.name());
            if (v != null) {
                checkInput(p, v);
                values.put(p.name(), v);
            }
        }
        for (Map.Entry<String, Value> e : feeds.entrySet()) {
            if (producers.containsKey(e.getKey())) {
                values.put(e.getKey(), e.getValue());
            }
        }
        List<Node> order = plan(targets, values.keySet());
        Map<String, Integer> lastUse = tape == null ? lastUses(order, targets) : Map.of();
        Map<String, Integer> consumers = consumers(order);
        if (tape != null) {
            tape.values.clear();
            tape.ran.clear();
            tape.foldedRelus.clear();
            tape.training = training;
            tape.seed = seed;
            tape.threads = threads;
        }
        // inference: kernels take their outputs from the pool, and dead values go back to it
        BufferPool.Pass pass = tape == null ? pool.begin() : null;
        try {
            for (int k = 0; k < order.size(); k++) {
                Node n = order.get(k);
                Value[] in = new Value[n.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    String name = n.inputs().get(i);
                    if (!name.isEmpty()) {
                        in[i] = lookup(name, values);
                        if (in[i] == null) {
                            throw new InvalidInputException(where + ": node '" + n.name() + "' needs '" + name
                                    + "', which was not fed (graph inputs: "
                                    + inputs.stream().map(OnnxModelFile.Port::name).toList() + ")");
                        }
                    }
                }
                Node produced = n;
                InferenceFusion fusion = tape == null && n.kernel() instanceof FusedForward
                        ? InferenceFusion.after(order, k, consumers, targets) : null;
                float[] residual = null;
                Epilogue epilogue = null;
                if (fusion != null) {
                    Value r = fusion.add() == null ? null
                            : lookup(fusion.add().inputs().get(fusion.residualInput()), values);
                    epilogue = fusion.epilogue(name -> lookup(name, values));
                    boolean fits = r == null || r.isFloating() && r.elementType() == Value.FLOAT
                            && Arrays.equals(r.dims(), ((FusedForward) n.kernel()).outputDims(in));
                    if (!fits || epilogue == null) {
                        fusion = null;
                    } else {
                        residual = r == null ? null : r.floatData();
                    }
                }
                // with a tape: a Relu that alone reads a Conv's output runs in the Conv's output pass (see ReluFolding)
                boolean foldRelu = tape != null && n.kernel() instanceof ReluFolding && k + 1 < order.size()
                        && reluFollows(n, order.get(k + 1), consumers, targets);
                Value[] out;
                try {
                    Kernel.Context ctx = context(n, training, seed, threads);
                    out = fusion != null ? ((FusedForward) n.kernel()).forward(in, residual, epilogue, ctx)
                            : foldRelu ? ((ReluFolding) n.kernel()).forward(in, null, Epilogue.RELU, ctx)
                            : n.kernel().forward(in, ctx);
                } catch (UnsupportedFeatureException e) {
                    throw new UnsupportedFeatureException(where + ": node '" + n.name() + "' (" + n.opType() + "): "
                            + e.getMessage());
                } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
                    throw new InvalidInputException(where + ": node '" + n.name() + "' (" + n.opType()
                            + ") failed on inputs " + describe(in) + ": " + e.getMessage(), e);
                }
                if (fusion != null) {
                    // inference: the Add and the Relu or Clip ran in the kernel's output pass (same bits, no
                    // passes of their own)
                    k += fusion.length();
                    produced = order.get(k);
                } else if (foldRelu) {
                    // both names hold the Relu's output; the backward masks by it (ReluFolding)
                    produced = order.get(++k);
                    values.put(n.outputs().get(0), out[0]);
                    tape.ran.add(n);
                    tape.foldedRelus.add(produced);
                } else if (k + 1 < order.size() && n.opType().equals("Gemm")
                        && reluFollows(n, order.get(k + 1), consumers, targets)) {
                    // the Relu runs in place on the Conv's or Gemm's fresh output (same bits, one pass less); with
                    // a tape both names hold the result: the Relu's backward masks by its input's sign, the same
                    // as its output's, and neither kernel's backward reads its own output
                    produced = order.get(++k);
                    ElementwiseKernels.relu(out[0].floatData(), out[0].floatData(), threads);
                    if (tape != null) {
                        values.put(n.outputs().get(0), out[0]);
                        tape.ran.add(n);
                    }
                }
                for (int o = 0; o < produced.outputs().size() && o < out.length; o++) {
                    if (!produced.outputs().get(o).isEmpty()) {
                        values.put(produced.outputs().get(o), out[o]);
                    }
                }
                if (tape != null) {
                    tape.ran.add(produced);
                } else {
                    List<Value> dead = new ArrayList<>();
                    for (var it = values.entrySet().iterator(); it.hasNext(); ) {
                        Map.Entry<String, Value> e = it.next();
                        if (lastUse.getOrDefault(e.getKey(), Integer.MAX_VALUE) <= k) {
                            dead.add(e.getValue());
                            it.remove();
                        }
                    }
                    for (Value v : dead) {
                        pass.release(v, values.values());
                    }
                }
            }
        } finally {
            if (pass != null) {
                pass.end();
            }
        }
        Map<String, Value> result = new LinkedHashMap<>();
        for (String t : targets) {
            result.put(t, lookup(t, values));
        }
        if (tape != null) {
            tape.values.putAll(values);
        }
        return result;
    }

    /** How many nodes of {@code order} read each value. */
    private static Map<String, Integer> consumers(List<Node> order) {
        Map<String, Integer> count = new HashMap<>();
        for (Node n : order) {
            for (String i : n.inputs()) {
                count.merge(i, 1, Integer::sum);
            }
        }
        return count;
    }

    /** Whether {@code next} is a Relu that alone reads the single fresh float output of {@code n}. */
    private static boolean reluFollows(Node n, Node next, Map<String, Integer> consumers, Collection<String> targets) {
        if (!next.opType().equals("Relu")
                || n.outputs().size() != 1 || next.outputs().size() != 1 || next.inputs().size() != 1) {
            return false;
        }
        String v = n.outputs().get(0);
        return next.inputs().get(0).equals(v) && consumers.getOrDefault(v, 0) == 1 && !targets.contains(v);
    }

    /** For each value that a node of {@code order} reads, the index of its last reader (targets: never). */
    private static Map<String, Integer> lastUses(List<Node> order, Collection<String> targets) {
        Map<String, Integer> last = new HashMap<>();
        for (int k = 0; k < order.size(); k++) {
            for (String i : order.get(k).inputs()) {
                last.put(i, k);
            }
            for (String o : order.get(k).outputs()) {
                last.putIfAbsent(o, k);
            }
        }
        targets.forEach(last::remove);
        return last;
    }

    private static String describe(Value[] in) {
        List<String> parts = new ArrayList<>();
        for (Value v : in) {
            parts.add(v == null ? "-" : Arrays.toString(v.dims()));
        }
        return String.join(", ", parts);
    }

    private void checkInput(OnnxModelFile.Port port, Value v) {
        int[] declared = port.dims();
        int[] got = v.dims();
        boolean ok = declared.length == 0 || declared.length == got.length;
        for (int i = 0; ok && i < declared.length; i++) {
            ok = declared[i] < 0 || declared[i] == got[i];
        }
        if (!ok) {
            throw new InvalidInputException(where + ": input '" + port.name() + "' expects dims "
                    + Arrays.toString(declared).replace("-1", "?") + ", got " + Arrays.toString(got));
        }
    }

    private Kernel.Context context(Node n, boolean training, long seed, int threads) {
        boolean nodeTraining = training;
        List<Parameter> owned = parametersOf(n);
        if (training && !owned.isEmpty()) {
            nodeTraining = owned.stream().anyMatch(Parameter::trainable);
        }
        return new Kernel.Context(nodeTraining, RunContext.mix(seed ^ n.name().hashCode()), threads);
    }

    /**
     * Back-propagates the last {@link #forward} recorded in {@code tape}: adds into the gradients of
     * trainable parameters (a kernel may add its terms straight into a parameter's gradient, see
     * {@link Kernel.Context#gradientSinks()}: with gradients zeroed before each step, as training
     * does, the bits are those of adding a whole node gradient; else a fixed order per kernel).
     *
     * @param outputGradients gradients of the loss with respect to the wanted values
     * @param inputsWanted    graph inputs whose gradients to return (may be empty)
     * @return the gradients of {@code inputsWanted} (zeros where none flowed)
     */
    public Map<String, Value> backward(Tape tape, Map<String, Value> outputGradients, Collection<String> inputsWanted) {
        return backward(tape, outputGradients, inputsWanted, true);
    }

    /**
     * Back-propagates the last {@link #forward} recorded in {@code tape}, optionally without touching
     * parameter gradients (for gradients with respect to inputs or intermediate values only).
     *
     * @param outputGradients    gradients of the loss with respect to values the forward pass computed
     * @param wanted             graph inputs or intermediate values whose gradients to return
     * @param parameterGradients whether to add into the gradients of trainable parameters
     * @return the gradients of {@code wanted} (zeros where none flowed)
     */
    public Map<String, Value> backward(Tape tape, Map<String, Value> outputGradients, Collection<String> wanted,
                                       boolean parameterGradients) {
        Collection<String> inputsWanted = wanted;
        Set<String> requiresGrad = new HashSet<>(inputsWanted);
        if (parameterGradients) {
            for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
                if (e.getValue().trainable()) {
                    requiresGrad.add(e.getKey());
                }
            }
        }
        Map<String, Value> captured = new HashMap<>();
        for (Node n : tape.ran) {
            if (n.inputs().stream().anyMatch(requiresGrad::contains)) {
                requiresGrad.addAll(n.outputs());
            }
        }
        Map<String, Value> grads = new HashMap<>(outputGradients);
        // outputs of ReluFolding kernels whose gradient is their folded Relu's output gradient (unmasked)
        Set<String> throughRelu = new HashSet<>();
        // Gradient arrays that must not be written: the caller's and the captured ones (foreign), and
        // those another entry of grads holds. A kernel's fresh result is kept as it is (no copy).
        Set<float[]> foreign = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<float[]> held = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        outputGradients.values().forEach(v -> foreign.add(v.floatData()));
        for (int k = tape.ran.size() - 1; k >= 0; k--) {
            Node n = tape.ran.get(k);
            if (n.inputs().stream().noneMatch(requiresGrad::contains)) {
                continue;
            }
            String reluInput = n.inputs().get(0);
            if (tape.foldedRelus.contains(n) && !inputsWanted.contains(reluInput)
                    && !inputsWanted.contains(n.outputs().get(0))) {
                // the producer masks this Relu's output gradient itself (backwardThroughRelu)
                Value g = grads.remove(n.outputs().get(0));
                if (g != null) {
                    grads.put(reluInput, g);
                    throughRelu.add(reluInput);
                }
                continue;
            }
            Value[] gradOut = new Value[n.outputs().size()];
            boolean any = false;
            for (int o = 0; o < gradOut.length; o++) {
                gradOut[o] = grads.remove(n.outputs().get(o));
                any |= gradOut[o] != null;
                if (gradOut[o] != null) {
                    held.remove(gradOut[o].floatData());
                }
                if (gradOut[o] != null && inputsWanted.contains(n.outputs().get(o))) {
                    captured.put(n.outputs().get(o), gradOut[o]);
                    foreign.add(gradOut[o].floatData());
                }
            }
            if (!any) {
                continue;
            }
            if (!n.kernel().differentiable()) {
                throw new InvalidInputException(where + ": node '" + n.name() + "' (" + n.opType()
                        + ") has no backward pass; freeze the layers before it");
            }
            Value[] in = new Value[n.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                String name = n.inputs().get(i);
                in[i] = name.isEmpty() ? null : lookup(name, tape.values);
            }
            Value[] out = new Value[n.outputs().size()];
            for (int o = 0; o < out.length; o++) {
                out[o] = tape.values.get(n.outputs().get(o));
                if (gradOut[o] == null && out[o] != null && out[o].isFloating()) {
                    gradOut[o] = Value.zeros(out[o].dims());
                }
            }
            // the inputs whose gradients somebody uses (the kernel may skip the others), and the
            // trainable parameters' gradients as sinks (the kernel may add into them itself)
            long used = 0;
            float[][] sinks = null;
            for (int i = 0; i < in.length; i++) {
                String name = n.inputs().get(i);
                if (i >= 64 || name.isEmpty() || !requiresGrad.contains(name)) {
                    continue;
                }
                Parameter p = parameters.get(name);
                if (p != null && !parameterGradients) {
                    continue;
                }
                used |= 1L << i;
                if (p != null) {
                    sinks = sinks == null ? new float[in.length][] : sinks;
                    sinks[i] = p.gradient().data();
                }
            }
            Kernel.Context backwardContext = context(n, tape.training, tape.seed, tape.threads).forBackward(used, sinks);
            Value[] gradIn = !n.outputs().isEmpty() && throughRelu.remove(n.outputs().get(0))
                    ? ((ReluFolding) n.kernel()).backwardThroughRelu(in, out, gradOut, backwardContext)
                    : n.kernel().backward(in, out, gradOut, backwardContext);
            for (int i = 0; i < in.length; i++) {
                String name = n.inputs().get(i);
                if (name.isEmpty() || gradIn[i] == null || !requiresGrad.contains(name)) {
                    continue;
                }
                Parameter p = parameters.get(name);
                if (p != null && !parameterGradients) {
                    continue;
                }
                if (p != null) {
                    float[] g = p.gradient().data();
                    float[] add = gradIn[i].floatData();
                    for (int j = 0; j < g.length; j++) {
                        g[j] += add[j];
                    }
                } else {
                    Value prev = grads.get(name);
                    float[] add = gradIn[i].floatData();
                    if (prev == null) {
                        float[] mine = foreign.contains(add) || held.contains(add) ? add.clone() : add;
                        held.add(mine);
                        grads.put(name, Value.floats(gradIn[i].dims(), mine));
                    } else {
                        float[] acc = prev.floatData();
                        if (foreign.contains(acc)) {
                            acc = acc.clone();
                            held.add(acc);
                            grads.put(name, Value.floats(prev.dims(), acc));
                        }
                        for (int j = 0; j < acc.length; j++) {
                            acc[j] += add[j];
                        }
                    }
                }
            }
        }
        Map<String, Value> result = new LinkedHashMap<>();
        for (String name : inputsWanted) {
            Value g = captured.containsKey(name) ? captured.get(name) : grads.get(name);
            result.put(name, g != null ? g : Value.zeros(tape.values.get(name).dims()));
        }
        return result;
    }

    /** Wraps a parameter value as an api tensor (shares the array). */
    static Tensor tensor(int[] dims, float[] data) {
        return Tensor.of(Shape.of(dims), data);
    }
}
