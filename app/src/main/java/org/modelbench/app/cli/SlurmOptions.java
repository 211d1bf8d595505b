package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.SlurmSettings;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.DatasetCache;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;
import org.modelbench.app.slurm.CommandLineSlurm;
import org.modelbench.app.slurm.SlurmClient;
import org.modelbench.app.slurm.SlurmFollower;
import org.modelbench.app.slurm.SlurmJobs;
import org.modelbench.app.slurm.SlurmSubmitter;
import org.modelbench.app.slurm.TrialStates;
import picocli.CommandLine.Option;

/** The options of {@code modelbench run --executor slurm}, and the run and resume on SLURM. */
final class SlurmOptions {
    @Option(names = "--wait", description = "With --executor slurm: follow the jobs until they end (done/total, rate, "
            + "ETA); exit 1 naming the trials that did not finish.")
    boolean await;

    @Option(names = "--partition", paramLabel = "NAME", description = "With --executor slurm: the partition "
            + "(default: the manifest's executor.slurm.partition, else the cluster's default).")
    String partition;

    @Option(names = "--account", paramLabel = "NAME", description = "With --executor slurm: the account "
            + "(default: executor.slurm.account, else the user's default).")
    String account;

    @Option(names = "--time", paramLabel = "LIMIT", description = "With --executor slurm: the time limit per trial, "
            + "e.g. 1:30:00 (default: executor.slurm.time, else the partition's).")
    String time;

    @Option(names = "--mem", paramLabel = "SIZE", description = "With --executor slurm: the memory per trial, e.g. 4g "
            + "(default: executor.slurm.memory / modelMemory, else " + SlurmSettings.DEFAULT_MEMORY + ").")
    String memory;

    @Option(names = "--launcher", paramLabel = "FILE", description = "With --executor slurm: the modelbench launcher "
            + "the tasks run, on the shared file system (default: the one running, $MODELBENCH_LAUNCHER).")
    Path launcher;

    @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "10", description = "With --wait: seconds "
            + "between two looks at the queue (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    /**
     * Refuses these options with an executor they do not apply to.
     *
     * @throws InvalidInputException naming the first option given
     */
    void requireUnused(String executor) {
        String given = await ? "--wait" : partition != null ? "--partition" : account != null ? "--account"
                : time != null ? "--time" : memory != null ? "--mem" : launcher != null ? "--launcher" : null;
        if (given != null) {
            throw new InvalidInputException(given + ": only applies to --executor slurm, not " + executor);
        }
    }

    /** Plans a bundle of {@code plan} and submits all its trials. */
    void run(ModelbenchCommand root, ExperimentRunner runner, ExperimentPlan plan, Path project, PrintWriter out) {
        SlurmSubmitter.Settings settings = settings(root);
        SlurmClient slurm = client();
        SlurmSubmitter submitter = new SlurmSubmitter(slurm, settings, line(out));
        Bundle bundle = runner.plan(plan, DatasetCache.of(plan, root.dataDirectory(), line(out)), project);
        TrialPlan trials = TrialPlan.of(bundle, plan, root.registry());
        Set<Integer> all = new LinkedHashSet<>();
        trials.trials().forEach(t -> all.add(t.index()));
        try {
            submitter.submit(bundle, plan, trials, all, Map.of());
        } catch (InvalidInputException e) {
            if (SlurmJobs.read(bundle.root()).jobs().isEmpty()) {
                Bundle.deleteTree(bundle.root());
            }
            throw e;
        }
        line(out).accept("bundle " + bundle.root());
        follow(slurm, bundle, trials, out);
    }

    /** Resubmits the failed and missing trials of {@code bundle}. */
    void resume(ModelbenchCommand root, ExperimentRunner runner, Bundle bundle, PrintWriter out) {
        SlurmSubmitter.Settings settings = settings(root);
        SlurmClient slurm = client();
        SlurmSubmitter submitter = new SlurmSubmitter(slurm, settings, line(out));
        ExperimentRunner.Opened opened = runner.open(bundle);
        TrialStates states = TrialStates.of(bundle, opened.trials(), slurm);
        if (!states.slurmSeen()) {
            throw new InvalidInputException("--resume --executor slurm: " + states.problem() + ", so the running "
                    + "trials are unknown; expected SLURM's client commands on PATH and a cluster to ask (SLURM_CONF)");
        }
        Set<Integer> selected = new LinkedHashSet<>(states.indices(TrialStates.State.FAILED));
        selected.addAll(states.indices(TrialStates.State.MISSING));
        Map<Integer, String> running = new HashMap<>();
        states.trials().stream().filter(e -> e.state() == TrialStates.State.RUNNING
                || e.state() == TrialStates.State.PENDING).forEach(e -> running.put(e.trial().index(), e.task()));
        line(out).accept("resuming " + bundle.root() + ": " + states.summary());
        if (selected.isEmpty()) {
            line(out).accept("nothing to resubmit");
        } else {
            line(out).accept("resubmitting trials " + new ArrayList<>(new java.util.TreeSet<>(selected)));
            submitter.submit(bundle, opened.plan(), opened.trials(), selected, running);
        }
        follow(slurm, bundle, opened.trials(), out);
    }

    private void follow(SlurmClient slurm, Bundle bundle, TrialPlan trials, PrintWriter out) {
        if (!await) {
            line(out).accept("follow it with: modelbench status " + bundle.root());
            return;
        }
        if (pollSeconds < 1) {
            throw new InvalidInputException("--poll-seconds: expected an integer >= 1, got " + pollSeconds);
        }
        long start = System.nanoTime();
        new SlurmFollower(slurm, line(out), Duration.ofSeconds(pollSeconds)).follow(bundle, trials);
        line(out).accept(String.format("finished %d trials in %s: %s", trials.trials().size(),
                Progress.duration((System.nanoTime() - start) / 1e9), bundle.root()));
        if (Files.isRegularFile(bundle.root().resolve(Bundle.REPORT_HTML))) {
            line(out).accept("report " + bundle.root().resolve(Bundle.REPORT_HTML));
        }
    }

    /** The settings of the command line, checked (the launcher first, then the values). */
    private SlurmSubmitter.Settings settings(ModelbenchCommand root) {
        Path file = launcher();
        try {
            new SlurmSettings(partition, account, time, memory, null);
        } catch (org.modelbench.api.ConfigException e) {
            throw new InvalidInputException("--" + (e.key().equals("memory") ? "mem" : e.key()) + ": "
                    + e.expectation());
        }
        return new SlurmSubmitter.Settings(file, taskOptions(root), partition, account, time, memory);
    }

    /** The options every task passes before its subcommand: the same data, plugins and memory budget. */
    private static List<String> taskOptions(ModelbenchCommand root) {
        List<String> options = new ArrayList<>(List.of("--data-dir", root.dataDirectory().toString(), "--plugins-dir",
                (root.pluginsDirectory != null ? root.pluginsDirectory : PluginRegistry.defaultPluginsDirectory())
                        .toAbsolutePath().normalize().toString()));
        if (root.maxMemoryBytes != null) {
            options.addAll(List.of("--max-memory", Long.toString(root.maxMemoryBytes)));
        }
        return options;
    }

    private Path launcher() {
        String env = System.getenv("MODELBENCH_LAUNCHER");
        Path file = launcher != null ? launcher : env != null && !env.isBlank() ? Path.of(env) : null;
        if (file == null) {
            throw new InvalidInputException("--executor slurm: the launcher the tasks run is unknown; run through "
                    + "./modelbench or give --launcher FILE");
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isExecutable(absolute)) {
            throw new InvalidInputException("--launcher: " + absolute + " is not an executable file; expected the "
                    + "modelbench launcher");
        }
        return absolute;
    }

    /** SLURM's commands, checked to be installed before anything is written. */
    private static SlurmClient client() {
        if (!CommandLineSlurm.installed("sbatch")) {
            throw new InvalidInputException("--executor slurm: sbatch not found on PATH; expected SLURM's client "
                    + "commands (Debian: slurm-client; scripts/slurm-local.sh start runs a one-node cluster)");
        }
        return new CommandLineSlurm();
    }

    private static java.util.function.Consumer<String> line(PrintWriter out) {
        return s -> {
            out.println(s);
            out.flush();
        };
    }
}
