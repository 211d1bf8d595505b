package org.modelbench.onnx.internal;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Float arrays recycled across the inference passes of one graph, so that a pass neither zeroes
 * fresh activations nor feeds the collector. Lifecycle: {@link #begin} a pass on the calling thread;
 * kernels take their outputs with {@link #floats} (arrays they write completely); the graph hands
 * back each value that died ({@link Pass#release}); {@link Pass#end}. Only arrays the pass itself
 * issued return, and only when no live value shares them (Reshape, Identity ...). The pool holds at
 * most an eighth of the heap, 256 MiB at most; beyond that, released arrays are left to the collector.
 */
final class BufferPool {
    private static final ThreadLocal<Pass> CURRENT = new ThreadLocal<>();

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final long capacity = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 32);
    private long held;

    /**
     * An array of exactly {@code size} floats with arbitrary content, which the caller overwrites
     * completely: from the current pass's pool on this thread, else new.
     */
    static float[] floats(int size) {
        Pass pass = CURRENT.get();
        return pass == null ? new float[size] : pass.take(size);
    }

    /** Starts a pass on the calling thread (passes nest; each ends with {@link Pass#end}). */
    Pass begin() {
        Pass pass = new Pass(CURRENT.get());
        CURRENT.set(pass);
        return pass;
    }

    private synchronized float[] reuse(int size) {
        ArrayDeque<float[]> q = free.get(size);
        float[] a = q == null ? null : q.poll();
        if (a != null) {
            held -= size;
        }
        return a;
    }

    private synchronized void keep(float[] a) {
        if (held + a.length <= capacity) {
            free.computeIfAbsent(a.length, s -> new ArrayDeque<>()).push(a);
            held += a.length;
        }
    }

    /** One inference pass: the arrays it issued that are still out. */
    final class Pass {
        private final Pass previous;
        private final Set<float[]> issued = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

        private Pass(Pass previous) {
            this.previous = previous;
        }

        private float[] take(int size) {
            float[] a = reuse(size);
            if (a == null) {
                a = new float[size];
            }
            issued.add(a);
            return a;
        }

        /** Returns the array of {@code dead} to the pool if this pass issued it and no value in {@code live} holds it. */
        void release(Value dead, Collection<Value> live) {
            if (!dead.isFloating() || !issued.contains(dead.floatData())) {
                return;
            }
            float[] a = dead.floatData();
            for (Value v : live) {
                if (v.isFloating() && v.floatData() == a) {
                    return;
                }
            }
            issued.remove(a);
            keep(a);
        }

        /** Ends the pass on this thread (arrays still out stay with their values). */
        void end() {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
