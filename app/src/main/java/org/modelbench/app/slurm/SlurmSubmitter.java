package org.modelbench.app.slurm;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.modelbench.api.AtomicFiles;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.SlurmSettings;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.TrialPlan;

/**
 * Submits trials of a bundle as job arrays ({@link ArrayGroup}) and the report job after them, writing
 * each script into {@code <bundle>/slurm/round-<r>/} and each submission into {@link SlurmJobs}.
 */
public final class SlurmSubmitter {
    private final SlurmClient slurm;
    private final Settings settings;
    private final Consumer<String> log;

    /**
     * How to reach the launcher and what to ask for, over the manifest's {@code executor.slurm}.
     *
     * @param launcher  the {@code modelbench} launcher on the shared file system, absolute
     * @param options   options every task passes before its subcommand ({@code --data-dir DIR}, ...)
     * @param partition {@code --partition}, replacing the manifest's; {@code null} for the manifest's
     * @param account   {@code --account}, likewise
     * @param time      {@code --time}, likewise
     * @param memory    {@code --mem} of every trial (a size, e.g. {@code 4g}), likewise
     */
    public record Settings(Path launcher, List<String> options, String partition, String account, String time,
                           String memory) {
        public Settings {
            Objects.requireNonNull(launcher, "launcher");
            options = List.copyOf(options);
        }

        /** The manifest's settings with these on top. */
        SlurmSettings over(SlurmSettings manifest) {
            return new SlurmSettings(partition != null ? partition : manifest.partition(),
                    account != null ? account : manifest.account(), time != null ? time : manifest.time(),
                    memory != null ? memory : manifest.memory(),
                    memory != null ? Map.of() : manifest.modelMemory());
        }
    }

    public SlurmSubmitter(SlurmClient slurm, Settings settings, Consumer<String> log) {
        this.slurm = Objects.requireNonNull(slurm, "slurm");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** What a task of {@code trial} asks for: its model's threads as CPUs, the memory of its model. */
    public TaskResources resources(ExperimentPlan plan, TrialPlan.PlannedTrial trial) {
        SlurmSettings s = settings.over(plan.manifest().executor().slurm());
        int threads = plan.models().stream().filter(m -> m.spec().id().equals(trial.model())).findFirst()
                .map(m -> m.spec().trainer().threads()).orElseThrow(() -> new IllegalStateException(
                        "trial " + trial.id() + ": no model '" + trial.model() + "' in the manifest"));
        return new TaskResources(threads, s.memoryMegabytes(trial.model()), s.partition(), s.account(), s.time());
    }

    /**
     * Submits the trials at {@code selected} plan indices, then the report job.
     *
     * @param running the array task (e.g. {@code 123_4}) of plan indices still queued or running from an
     *                earlier submission: trials waiting for them wait for those tasks
     * @return every job of the bundle, these included
     * @throws InvalidInputException when sbatch is missing or refuses a job (those submitted before stay
     *                               recorded in {@code slurm/jobs.json})
     */
    public SlurmJobs submit(Bundle bundle, ExperimentPlan plan, TrialPlan trials, Set<Integer> selected,
                            Map<Integer, String> running) {
        Path root = bundle.root().toAbsolutePath();
        if (!root.toString().matches("[^\\s%'\"\\\\]+")) {
            throw new InvalidInputException("--executor slurm: the bundle folder " + root + " contains a space, quote, "
                    + "backslash or %; expected a path that #SBATCH --output can hold");
        }
        try {
            // SLURM does not create the folder of --output: a task without it fails at once
            java.nio.file.Files.createDirectories(root.resolve(SbatchScripts.LOGS));
        } catch (java.io.IOException e) {
            throw new org.modelbench.api.ModelbenchException("cannot create " + root.resolve(SbatchScripts.LOGS) + ": "
                    + e.getMessage(), e);
        }
        SlurmJobs jobs = SlurmJobs.read(root);
        int round = (int) jobs.jobs().stream().filter(j -> j.kind() == SlurmJobs.Kind.REPORT).count() + 1;
        String name = "mb-" + plan.manifest().name();
        List<ArrayGroup> groups = ArrayGroup.of(trials, selected, t -> resources(plan, t));
        Map<Integer, String> taskOf = new HashMap<>(running);
        Set<String> reportWaitsFor = new LinkedHashSet<>();
        running.values().forEach(task -> reportWaitsFor.add(task.split("_", 2)[0]));
        for (int g = 0; g < groups.size(); g++) {
            ArrayGroup group = groups.get(g);
            String script = "slurm/round-" + round + "/trials-" + (g + 1) + ".sbatch";
            AtomicFiles.writeString(root.resolve(script), SbatchScripts.trials(group, name, root, settings.launcher(),
                    settings.options(), trials.trials().size()));
            String dependency = dependency(group, trials, taskOf);
            String id = slurm.submit(root.resolve(script), dependency == null ? List.of()
                    : List.of("--dependency=" + dependency, "--kill-on-invalid-dep=yes"));
            group.indices().forEach(i -> taskOf.put(i, id + "_" + i));
            reportWaitsFor.add(id);
            jobs = jobs.add(root, new SlurmJobs.Job(id, SlurmJobs.Kind.TRIALS, group.indices(), script, dependency, now()));
            log.accept("submitted job array " + id + ": trials " + group.arraySpec() + " (" + group.resources().cpus()
                    + " CPUs, " + group.resources().memoryMb() + " MiB each" + (dependency == null ? ""
                    : ", after " + dependency.substring("afterok:".length()).replace(':', ' ')) + ")");
        }
        String script = "slurm/round-" + round + "/report.sbatch";
        TaskResources where = resources(plan, trials.trials().get(0));
        AtomicFiles.writeString(root.resolve(script), SbatchScripts.report(name, root, settings.launcher(),
                settings.options(), where));
        String dependency = reportWaitsFor.isEmpty() ? null : "afterany:" + String.join(":", reportWaitsFor);
        String id = slurm.submit(root.resolve(script), dependency == null ? List.of() : List.of("--dependency=" + dependency));
        jobs = jobs.add(root, new SlurmJobs.Job(id, SlurmJobs.Kind.REPORT, List.of(), script, dependency, now()));
        log.accept("submitted report job " + id + " (after every trial job)");
        return jobs;
    }

    /**
     * The {@code afterok} dependency of {@code group}: the array tasks of the trials its trials read,
     * submitted before it or still running from before; {@code null} when there are none.
     */
    static String dependency(ArrayGroup group, TrialPlan trials, Map<Integer, String> taskOf) {
        Set<String> tasks = new LinkedHashSet<>();
        for (int index : group.indices()) {
            for (String before : trials.trials().get(index).after()) {
                trials.trials().stream().filter(t -> t.id().equals(before)).findFirst()
                        .map(t -> taskOf.get(t.index())).ifPresent(tasks::add);
            }
        }
        return tasks.isEmpty() ? null : "afterok:" + String.join(":", new ArrayList<>(tasks));
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
