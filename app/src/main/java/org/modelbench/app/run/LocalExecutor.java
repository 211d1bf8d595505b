package org.modelbench.app.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;

/**
 * Runs trials on this machine, {@code jobs} at a time: first those that depend on nothing in the
 * list, then those whose {@code after} trials are done, wave by wave. With {@code jobs = 1} the
 * trials run one after the other in plan order (within a wave).
 */
public final class LocalExecutor implements TrialExecutor {
    private final int jobs;

    /** @param jobs how many trials may run at once, {@code >= 1} */
    public LocalExecutor(int jobs) {
        if (jobs < 1) {
            throw new InvalidInputException("--jobs: expected an integer >= 1, got " + jobs);
        }
        this.jobs = jobs;
    }

    @Override
    public void execute(List<TrialPlan.PlannedTrial> trials, Consumer<TrialPlan.PlannedTrial> run) {
        Set<String> pending = new HashSet<>();
        trials.forEach(t -> pending.add(t.id()));
        List<TrialPlan.PlannedTrial> left = new ArrayList<>(trials);
        while (!left.isEmpty()) {
            List<TrialPlan.PlannedTrial> wave = left.stream()
                    .filter(t -> t.after().stream().noneMatch(pending::contains)).toList();
            if (wave.isEmpty()) {
                throw new ModelbenchException("trials " + left.stream().map(TrialPlan.PlannedTrial::id).toList()
                        + " wait for each other; expected an order without cycles");
            }
            runWave(wave, run);
            wave.forEach(t -> pending.remove(t.id()));
            Set<TrialPlan.PlannedTrial> ran = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            ran.addAll(wave);
            left.removeIf(ran::contains);
        }
    }

    /** Runs the trials in order, or on {@code jobs} threads; the first failure stops the rest. */
    private void runWave(List<TrialPlan.PlannedTrial> wave, Consumer<TrialPlan.PlannedTrial> run) {
        if (jobs == 1 || wave.size() <= 1) {
            wave.forEach(run);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, wave.size()));
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (TrialPlan.PlannedTrial trial : wave) {
                done.submit(() -> {
                    run.accept(trial);
                    return null;
                });
            }
            for (int i = 0; i < wave.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof OutOfMemoryError oom) {
                        throw OutOfHeap.during("a trial", oom);
                    }
                    throw new ModelbenchException(String.valueOf(e.getCause()), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModelbenchException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
