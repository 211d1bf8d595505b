package org.modelbench.engine.kernels;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks {@code 0 .. count-1} on up to {@code threads} threads. Callers make each
 * task's result independent of which thread runs it (tasks write disjoint outputs, and reductions
 * over tasks happen afterwards in task order), so results never depend on the thread count.
 */
public final class Parallel {
    private static final ConcurrentHashMap<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    private Parallel() {
    }

    /** Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)}. */
    public static void forEach(int count, int threads, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        if (threads <= 1 || count == 1 || insideEnginePool()) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        ForkJoinPool pool = POOLS.computeIfAbsent(threads, Parallel::newPool);
        pool.invoke(new Range(0, count, task));
    }

    private static boolean insideEnginePool() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && POOLS.containsValue(w.getPool());
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, pool -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("modelbench-engine-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    private static final class Range extends RecursiveAction {
        private final int from;
        private final int to;
        private final IntConsumer task;

        Range(int from, int to, IntConsumer task) {
            this.from = from;
            this.to = to;
            this.task = task;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                task.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(from, mid, task), new Range(mid, to, task));
        }
    }
}
