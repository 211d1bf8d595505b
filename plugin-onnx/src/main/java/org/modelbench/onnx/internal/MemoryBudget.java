package org.modelbench.onnx.internal;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How many samples one pass may hold at once, from a memory budget: the family's
 * {@code maxMemoryMb} or, by default, the JVM's maximum heap. A quarter of the budget goes to the
 * values of one pass, so that the data, the model, the features and the collector keep room.
 *
 * @param bytes the budget in bytes, {@code > 0}
 */
public record MemoryBudget(long bytes) {
    /** The share of the budget one pass may use. */
    static final double PASS_SHARE = 0.25;

    public MemoryBudget {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be > 0 bytes, got " + bytes);
        }
    }

    /** {@code maxMemoryMb} megabytes, or the JVM's maximum heap when null. */
    public static MemoryBudget of(Integer maxMemoryMb) {
        return new MemoryBudget(maxMemoryMb != null ? maxMemoryMb * 1024L * 1024L : Runtime.getRuntime().maxMemory());
    }

    /**
     * The number of samples per pass: as many as fit {@link #PASS_SHARE} of the budget at
     * {@code bytesPerSample} each, at least 1 and at most {@code wanted}.
     */
    public int samplesPerPass(long bytesPerSample, int wanted) {
        long fit = (long) (bytes * PASS_SHARE) / Math.max(1, bytesPerSample);
        return (int) Math.max(1, Math.min(wanted, fit));
    }

    /**
     * The bytes one sample takes in a native pass that keeps every value (as a training pass does):
     * the sum of the float values a one-sample forward pass computes from {@code fedValue} to
     * {@code wanted}, plus the fed value itself. An inference pass holds less (it drops each value
     * after its last use), so the estimate is safe for both.
     */
    public static long nativeBytesPerSample(NativeGraph graph, String fedValue, Value oneSample,
                                            Collection<String> wanted) {
        NativeGraph.Tape tape = new NativeGraph.Tape();
        graph.forward(Map.of(fedValue, oneSample), List.copyOf(wanted), tape, false, 0, 1);
        long floats = oneSample.size();
        Set<String> fed = Set.of(fedValue);
        for (NativeGraph.Node n : graph.plan(wanted, fed)) {
            for (String o : n.outputs()) {
                Value v = tape.values.get(o);
                if (v != null && v.isFloating()) {
                    floats += v.size();
                }
            }
        }
        return floats * Float.BYTES;
    }
}
