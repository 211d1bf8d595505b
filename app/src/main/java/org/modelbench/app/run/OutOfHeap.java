package org.modelbench.app.run;

import org.modelbench.api.ModelbenchException;

/**
 * The JVM running out of heap, as a one-line failure that says what ran out and how to give it
 * more, instead of a stack trace. Thrown where a large allocation fails (a dataset's tensor, a
 * trial's training), after which the failed allocation's memory is free again.
 */
public final class OutOfHeap {
    private OutOfHeap() {
    }

    /** The failure of {@code what} (for example {@code "loading dataset 'mnist'"}) that ran out of heap. */
    public static ModelbenchException during(String what, OutOfMemoryError cause) {
        return new ModelbenchException(message(what), cause);
    }

    /** {@code "<what>: ran out of Java heap (maximum 100 MiB); give the JVM more (...)"}. */
    public static String message(String what) {
        long max = Runtime.getRuntime().maxMemory();
        String limit = max == Long.MAX_VALUE ? "no maximum set" : "maximum " + (max >> 20) + " MiB";
        return what + ": ran out of Java heap (" + limit + "); give the JVM more: MODELBENCH_JAVA_OPTS=-Xmx<size>"
                + " for the launcher, --mem with --executor slurm, spark.executor.memory with Spark";
    }
}
