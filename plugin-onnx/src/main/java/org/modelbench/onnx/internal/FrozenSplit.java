package org.modelbench.onnx.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.modelbench.api.Parameter;

/**
 * Where a partly frozen graph splits into the frozen part, which the base's engine computes
 * ({@code ort} or {@code native}), and the trainable rest, which runs natively: the single value
 * through which everything before the first trainable node reaches the rest.
 */
final class FrozenSplit {
    private FrozenSplit() {
    }

    /**
     * The value up to which the graph is frozen on the way to {@code cut}: {@code cut} itself when
     * nothing before it is trainable; the one value that crosses from the nodes before the first
     * trainable node (in topological order) to the nodes from it on; the graph input when several
     * values cross (then everything runs natively).
     */
    static String boundary(NativeGraph graph, String cut) {
        List<NativeGraph.Node> plan = graph.plan(List.of(cut));
        String input = graph.inputs().get(0).name();
        int first = -1;
        for (int i = 0; i < plan.size() && first < 0; i++) {
            if (graph.parametersOf(plan.get(i)).stream().anyMatch(Parameter::trainable)) {
                first = i;
            }
        }
        if (first < 0) {
            return cut;
        }
        Set<String> before = new HashSet<>();
        before.add(input);
        for (NativeGraph.Node n : plan.subList(0, first)) {
            before.addAll(n.outputs());
        }
        Set<String> crossing = new HashSet<>();
        for (NativeGraph.Node n : plan.subList(first, plan.size())) {
            for (String v : n.inputs()) {
                if (before.contains(v)) {
                    crossing.add(v);
                }
            }
        }
        return crossing.size() == 1 ? crossing.iterator().next() : input;
    }

    /**
     * A runner from the fed (preprocessed, laid out) input to {@code output}: the part up to
     * {@code prefix} on {@code engine}, the rest natively; all native when {@code prefix} is the graph
     * input. {@code file} is the model that {@code graph} was imported from.
     */
    static Function<Value, Value> runner(OnnxModelFile file, NativeGraph graph, String prefix, String output,
                                         String engine) {
        return runner(file, graph, prefix, output, engine, new RowFeatureCache(null, v -> v, line -> { }));
    }

    /**
     * As {@link #runner(OnnxModelFile, NativeGraph, String, String, String)}, with the frozen part's
     * output at {@code prefix} read from (or written to) {@code cache} row by row.
     */
    static Function<Value, Value> runner(OnnxModelFile file, NativeGraph graph, String prefix, String output,
                                         String engine, RowFeatureCache cache) {
        String input = graph.inputs().get(0).name();
        if (prefix.equals(input)) {
            return GraphClassifier.nativeRunner(graph, output);
        }
        graph.plan(List.of(prefix)); // names the file when the saved prefix is not a value of the graph
        int threads = Runtime.getRuntime().availableProcessors();
        Function<Value, Value> front = engine.equals("ort") ? OrtClassifiers.lazyOrt(file.cutAt(prefix), prefix)
                : fed -> graph.run(Map.of(input, fed), List.of(prefix), threads).get(prefix);
        RowFeatureCache.Compute frozen = (fed, values) -> Map.of(prefix, front.apply(fed));
        return new CachedRunner(fed -> graph.run(Map.of(prefix, cache.run(fed, List.of(prefix), frozen).get(prefix)),
                List.of(output), threads).get(output), cache);
    }

    /**
     * A runner whose frozen part goes through {@code cache}, so that its classifier can tell how many rows it
     * read from there ({@link GraphClassifier#rowsFromCache()}).
     *
     * @param run   the runner
     * @param cache the frozen part's cache (possibly disabled: then it reads nothing)
     */
    record CachedRunner(Function<Value, Value> run, RowFeatureCache cache) implements Function<Value, Value> {
        @Override
        public Value apply(Value fed) {
            return run.apply(fed);
        }

        /** Rows the frozen part read from the cache so far. */
        long rowsFromCache() {
            return cache.rowsRead();
        }
    }
}
