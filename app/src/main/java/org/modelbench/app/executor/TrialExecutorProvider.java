package org.modelbench.app.executor;

import org.modelbench.app.run.TrialExecutor;

/**
 * Makes a {@link TrialExecutor} for {@code modelbench run --executor <id>}. Cheap to find: {@link #id()}
 * answers at once; the engine behind it (a Spark context) starts only when the executor runs trials.
 * Adapters ship {@code META-INF/services/org.modelbench.app.executor.TrialExecutorProvider}.
 */
public interface TrialExecutorProvider {
    /** The executor's name on the command line and in manifests, e.g. {@code spark}. */
    String id();

    /** An executor for one run, configured by {@code context}. */
    TrialExecutor create(ExecutorContext context);
}
