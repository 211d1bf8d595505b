package org.modelbench.onnx.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The nodes after a {@link FusedForward} kernel that an inference pass folds into its output pass:
 * a same-shape Add of its output and an earlier value (a residual connection), then a Relu or a
 * Clip. Each folded node must be the only reader of the value before it, and no folded value may
 * be wanted as an output.
 *
 * @param add           the Add, or null
 * @param residualInput which input of the Add is the residual (the other is the kernel's output)
 * @param activation    the Relu or Clip, or null
 */
record InferenceFusion(NativeGraph.Node add, int residualInput, NativeGraph.Node activation) {

    /** The nodes {@code order[k+1..]} fold into node {@code k}, or null for none. */
    static InferenceFusion after(List<NativeGraph.Node> order, int k, Map<String, Integer> consumers,
                                 Collection<String> targets) {
        NativeGraph.Node n = order.get(k);
        if (n.outputs().size() != 1 || !soleReader(n.outputs().get(0), consumers, targets)) {
            return null;
        }
        String value = n.outputs().get(0);
        int next = k + 1;
        NativeGraph.Node add = null;
        int residual = -1;
        if (next < order.size() && order.get(next).opType().equals("Add") && order.get(next).inputs().size() == 2
                && order.get(next).outputs().size() == 1) {
            List<String> in = order.get(next).inputs();
            if (in.get(0).equals(value) != in.get(1).equals(value)) {
                add = order.get(next);
                residual = in.get(0).equals(value) ? 1 : 0;
                value = add.outputs().get(0);
                next++;
            }
        }
        NativeGraph.Node activation = null;
        if (next < order.size() && (add == null || soleReader(value, consumers, targets))) {
            NativeGraph.Node a = order.get(next);
            boolean relu = a.opType().equals("Relu") && a.inputs().size() == 1;
            boolean clip = a.opType().equals("Clip") && !a.inputs().isEmpty();
            if ((relu || clip) && a.inputs().get(0).equals(value) && a.outputs().size() == 1) {
                activation = a;
            }
        }
        return add == null && activation == null ? null : new InferenceFusion(add, residual, activation);
    }

    private static boolean soleReader(String value, Map<String, Integer> consumers, Collection<String> targets) {
        return consumers.getOrDefault(value, 0) == 1 && !targets.contains(value);
    }

    /** How many nodes after the kernel's are folded. */
    int length() {
        return (add != null ? 1 : 0) + (activation != null ? 1 : 0);
    }

    /**
     * The activation's epilogue: Relu, or Clip with its bounds from attributes (opset &lt; 11) or
     * from its optional inputs as {@code bound} finds them; null when a bound input is not at hand.
     */
    Epilogue epilogue(java.util.function.Function<String, Value> bound) {
        if (activation == null) {
            return Epilogue.NONE;
        }
        if (activation.opType().equals("Relu")) {
            return Epilogue.RELU;
        }
        OnnxNode node = activation.source();
        if (node.opset() < 11) {
            return Epilogue.clip(node.f("min", Float.NEGATIVE_INFINITY), node.f("max", Float.POSITIVE_INFINITY));
        }
        float[] b = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        List<String> in = activation.inputs();
        for (int i = 1; i <= 2 && i < in.size(); i++) {
            if (!in.get(i).isEmpty()) {
                Value v = bound.apply(in.get(i));
                if (v == null || v.size() != 1) {
                    return null;
                }
                b[i - 1] = (float) v.scalar();
            }
        }
        return Epilogue.clip(b[0], b[1]);
    }
}
