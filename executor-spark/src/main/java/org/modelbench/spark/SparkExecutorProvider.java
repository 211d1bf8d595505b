package org.modelbench.spark;

import org.modelbench.app.executor.ExecutorContext;
import org.modelbench.app.executor.TrialExecutorProvider;
import org.modelbench.app.run.TrialExecutor;

/** {@code --executor spark}: cheap to find; Spark itself starts when trials run. */
public final class SparkExecutorProvider implements TrialExecutorProvider {
    /** The executor's name. */
    public static final String ID = "spark";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public TrialExecutor create(ExecutorContext context) {
        return new SparkTrialExecutor(context);
    }
}
