package org.modelbench.app.slurm;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.TrialPlan;

/**
 * The state of every trial of a bundle: its folder first ({@code metrics.json} means done, whoever ran
 * it), then the SLURM queue and accounting for the latest array task that ran it.
 *
 * @param trials   one entry per trial, in plan order
 * @param report   the state of the latest report job ({@link State#DONE} once it left the queue,
 *                 {@link State#MISSING} when none was submitted)
 * @param slurmSeen whether {@code squeue} answered (without it, submitted trials that are not done
 *                  are {@link State#SUBMITTED})
 * @param problem  why {@code squeue} did not answer, or {@code ""}
 */
public record TrialStates(List<Entry> trials, State report, boolean slurmSeen, String problem) {
    /** The state of one trial. */
    public enum State {
        /** Its {@code metrics.json} exists. */
        DONE,
        /** Its array task runs. */
        RUNNING,
        /** Its array task waits in the queue. */
        PENDING,
        /** Its latest array task ended without {@code metrics.json}. */
        FAILED,
        /** Submitted, but SLURM cannot be asked here. */
        SUBMITTED,
        /** Never submitted. */
        MISSING;

        /** Lower case, for output. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One trial's state.
     *
     * @param trial  the trial
     * @param state  its state
     * @param task   the latest array task that ran it ({@code 123_4}), or {@code null}
     * @param detail SLURM's own state word ({@code CANCELLED}, {@code TIMEOUT}, ...) or {@code ""}
     * @param log    its task's log, relative to the bundle, or {@code null}
     */
    public record Entry(TrialPlan.PlannedTrial trial, State state, String task, String detail, String log) {
    }

    public TrialStates {
        trials = List.copyOf(trials);
    }

    /** The states of {@code bundle}'s trials now. */
    public static TrialStates of(Bundle bundle, TrialPlan plan, SlurmClient slurm) {
        SlurmJobs jobs = SlurmJobs.read(bundle.root());
        Optional<Map<String, String>> queue = jobs.jobs().isEmpty() ? Optional.of(Map.of()) : slurm.queue();
        List<String> ended = new ArrayList<>();
        List<Entry> out = new ArrayList<>();
        // the queue first, then the folders: a task that ends in between shows as done, never as failed
        for (TrialPlan.PlannedTrial t : plan.trials()) {
            SlurmJobs.Job job = jobs.latestFor(t.index());
            String task = job == null ? null : job.task(t.index());
            String log = job == null ? null : SbatchScripts.trialLog(t.index(), job.jobId());
            State state;
            String detail = "";
            if (Files.isRegularFile(bundle.trial(t).resolve(Bundle.METRICS))) {
                state = State.DONE;
            } else if (job == null) {
                state = State.MISSING;
            } else if (queue.isEmpty()) {
                state = State.SUBMITTED;
            } else {
                String queued = queue.get().get(task);
                state = queued == null ? State.FAILED : running(queued) ? State.RUNNING : State.PENDING;
                detail = queued == null ? "" : queued;
                if (queued == null) {
                    ended.add(job.jobId());
                }
            }
            out.add(new Entry(t, state, task, detail, log));
        }
        if (!ended.isEmpty()) {
            Set<String> ids = new LinkedHashSet<>(ended);
            Map<String, String> accounted = slurm.accounting(List.copyOf(ids)).orElse(Map.of());
            out.replaceAll(e -> e.state() == State.FAILED && accounted.containsKey(e.task())
                    ? new Entry(e.trial(), e.state(), e.task(), accounted.get(e.task()), e.log()) : e);
        }
        SlurmJobs.Job report = jobs.latestReport();
        State reportState = report == null ? State.MISSING : queue.isEmpty() ? State.SUBMITTED
                : !queue.get().containsKey(report.jobId()) ? State.DONE
                : running(queue.get().get(report.jobId())) ? State.RUNNING : State.PENDING;
        return new TrialStates(out, reportState, queue.isPresent(), queue.isPresent() ? "" : slurm.queueProblem());
    }

    private static boolean running(String slurmState) {
        return switch (slurmState) {
            case "RUNNING", "COMPLETING", "CONFIGURING", "STAGE_OUT", "SIGNALING" -> true;
            default -> false;
        };
    }

    /** How many trials are in each state. */
    public Map<State, Integer> counts() {
        Map<State, Integer> out = new EnumMap<>(State.class);
        for (State s : State.values()) {
            out.put(s, 0);
        }
        trials.forEach(e -> out.merge(e.state(), 1, Integer::sum));
        return out;
    }

    /** The plan indices in {@code state}. */
    public List<Integer> indices(State state) {
        return trials.stream().filter(e -> e.state() == state).map(e -> e.trial().index()).toList();
    }

    /** Whether some trial (or the report) is still queued or running. */
    public boolean active() {
        return trials.stream().anyMatch(e -> e.state() == State.RUNNING || e.state() == State.PENDING)
                || report == State.RUNNING || report == State.PENDING;
    }

    /** The counts as one line, e.g. {@code 12 trials: 5 done, 1 running, 6 pending}. */
    public String summary() {
        return trials.size() + " trials: " + counts().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "));
    }
}
