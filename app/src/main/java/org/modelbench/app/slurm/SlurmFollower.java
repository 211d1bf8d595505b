package org.modelbench.app.slurm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;

/**
 * {@code modelbench run --wait}: follows a bundle's jobs until none is queued or running, printing a
 * line whenever the counts change (done/total, rate, ETA), then fails naming the trials that did not
 * finish.
 */
public final class SlurmFollower {
    private final SlurmClient slurm;
    private final Consumer<String> log;
    private final Duration poll;

    /** @param poll the time between two looks at the queue */
    public SlurmFollower(SlurmClient slurm, Consumer<String> log, Duration poll) {
        this.slurm = Objects.requireNonNull(slurm, "slurm");
        this.log = Objects.requireNonNull(log, "log");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    /**
     * Waits until every job of {@code bundle} has left the queue.
     *
     * @return the final states, every trial done
     * @throws InvalidInputException when {@code squeue} cannot be run here
     * @throws ModelbenchException   naming the trials that failed or were never submitted
     */
    public TrialStates follow(Bundle bundle, TrialPlan plan) {
        long start = System.nanoTime();
        TrialStates states = TrialStates.of(bundle, plan, slurm);
        int doneAtStart = states.counts().get(TrialStates.State.DONE);
        String last = "";
        while (true) {
            if (!states.slurmSeen()) {
                throw new InvalidInputException("--wait: " + states.problem() + "; expected SLURM's client commands "
                        + "on PATH and a cluster to ask (SLURM_CONF)");
            }
            String line = line(states, doneAtStart, (System.nanoTime() - start) / 1e9);
            String counts = states.summary() + states.report();
            if (!counts.equals(last)) {
                log.accept(line);
                last = counts;
            }
            if (!states.active()) {
                break;
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelbenchException("interrupted while waiting for the SLURM jobs", e);
            }
            states = TrialStates.of(bundle, plan, slurm);
        }
        List<TrialStates.Entry> unfinished = states.trials().stream()
                .filter(e -> e.state() != TrialStates.State.DONE).toList();
        if (!unfinished.isEmpty()) {
            throw new ModelbenchException(unfinished.size() + " of " + plan.trials().size() + " trials did not finish: "
                    + unfinished.stream().limit(10).map(SlurmFollower::describe).collect(Collectors.joining("; "))
                    + (unfinished.size() > 10 ? "; ..." : "") + "; 'modelbench run --resume " + bundle.root()
                    + " --executor slurm' resubmits them");
        }
        return states;
    }

    /** A progress line: {@code slurm: 5/12 done, 1 running, 6 pending; 1.2 trials/min, ETA 5m50s}. */
    static String line(TrialStates states, int doneAtStart, double seconds) {
        var counts = states.counts();
        int done = counts.get(TrialStates.State.DONE);
        int total = states.trials().size();
        StringBuilder s = new StringBuilder("slurm: ").append(done).append('/').append(total).append(" done");
        for (TrialStates.State state : List.of(TrialStates.State.RUNNING, TrialStates.State.PENDING,
                TrialStates.State.FAILED, TrialStates.State.MISSING)) {
            if (counts.get(state) > 0) {
                s.append(", ").append(counts.get(state)).append(' ').append(state.label());
            }
        }
        int finishedHere = done - doneAtStart;
        if (finishedHere > 0 && seconds > 0) {
            double perSecond = finishedHere / seconds;
            s.append(String.format("; %.2f trials/min", perSecond * 60));
            int left = counts.get(TrialStates.State.RUNNING) + counts.get(TrialStates.State.PENDING);
            if (left > 0) {
                s.append(", ETA ").append(Progress.duration(left / perSecond));
            }
        }
        if (done == total && states.report() != TrialStates.State.DONE) {
            s.append("; report job ").append(states.report().label());
        }
        return s.toString();
    }

    private static String describe(TrialStates.Entry e) {
        return e.trial().id() + " (index " + e.trial().index() + ", " + e.state().label()
                + (e.detail().isEmpty() ? "" : " " + e.detail()) + (e.log() == null ? "" : ", log " + e.log()) + ")";
    }
}
