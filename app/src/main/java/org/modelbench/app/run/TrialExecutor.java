package org.modelbench.app.run;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a bundle's trials run: this machine ({@link LocalExecutor}), or a cluster. An executor calls
 * {@code run} once for every trial it is given (on any machine that sees the bundle, or that sends the
 * trial folder back), in any order and with any parallelism, as long as a trial runs after the
 * trials of its {@link TrialPlan.PlannedTrial#after() after} list. Results do not depend on the
 * executor: each trial derives everything from its own seed and writes only its own folder.
 */
@FunctionalInterface
public interface TrialExecutor {
    /**
     * Runs every trial of {@code trials} and returns when all have finished.
     *
     * @throws RuntimeException the first trial failure (the others may be stopped)
     */
    void execute(List<TrialPlan.PlannedTrial> trials, Consumer<TrialPlan.PlannedTrial> run);

    /**
     * Runs every trial of {@code trials} of the opened bundle {@code opened}. An executor that runs trials
     * in this JVM calls {@code run} ({@link #execute(List, Consumer)}, the default); one that runs them
     * elsewhere ships what {@code opened} holds (its bundle's files) and writes each trial's folder into
     * {@code opened.bundle()} atomically, {@code metrics.json} last.
     */
    default void execute(ExperimentRunner.Opened opened, List<TrialPlan.PlannedTrial> trials,
                         Consumer<TrialPlan.PlannedTrial> run) {
        execute(trials, run);
    }
}
