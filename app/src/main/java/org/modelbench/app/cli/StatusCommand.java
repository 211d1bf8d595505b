package org.modelbench.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.TrialPlan;
import org.modelbench.app.slurm.CommandLineSlurm;
import org.modelbench.app.slurm.TrialStates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench status BUNDLE}: every trial's state, from its folder and the SLURM queue. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print the state of every trial of a bundle: done (metrics.json written), running, pending, "
                + "failed (its SLURM task ended without metrics.json) or missing (never submitted), with counts.",
                "Queue states come from squeue and sacct when they can be run; without them, submitted trials show as "
                        + "'submitted'."})
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "A results bundle folder (runs/<name>/<timestamp>).")
    Path bundle;

    @Override
    public Integer call() {
        Bundle opened = Bundle.open(bundle);
        ExperimentPlan plan = ExperimentRunner.planOf(opened, new ManifestLoader(root.registry(), root.dataDirectory()));
        TrialPlan trials = TrialPlan.of(opened, plan, root.registry());
        TrialStates states = TrialStates.of(opened, trials, new CommandLineSlurm());
        PrintWriter out = spec.commandLine().getOut();
        TextTable table = new TextTable("INDEX", "TRIAL", "STATE", "SLURM TASK", "LOG");
        for (TrialStates.Entry e : states.trials()) {
            table.row(e.trial().index(), e.trial().id(), e.state().label() + (e.detail().isEmpty() ? "" : " (" + e.detail()
                    + ")"), e.task() == null ? "-" : e.task(), e.state() == TrialStates.State.DONE || e.log() == null ? "-"
                    : e.log());
        }
        out.print(table.render());
        String report = states.report() != TrialStates.State.DONE ? states.report().label()
                : java.nio.file.Files.isRegularFile(opened.root().resolve(Bundle.REPORT_HTML)) ? "done"
                : "ended without report.html";
        out.println(states.summary() + "; report job: " + report
                + (states.slurmSeen() ? "" : " (" + states.problem() + ")"));
        out.flush();
        return ExitCodes.OK;
    }
}
