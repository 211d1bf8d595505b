package org.modelbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.report.Report;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench report BUNDLE}: (re)write the report of a bundle whose trials have finished. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write report.md, report.html and plots/ of a bundle from its trial folders.",
                "Every trial of plan.json must have finished (exit 2 naming the first that has not)."})
final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "A results bundle folder (runs/<name>/<timestamp>).")
    Path bundle;

    @Override
    public Integer call() {
        Bundle opened = Bundle.open(bundle);
        ExperimentPlan plan = ExperimentRunner.planOf(opened, new ManifestLoader(root.registry()));
        new ExperimentRunner(root.registry(), root.dataDirectory(), new Progress(spec.commandLine().getOut(), false),
                b -> Report.write(b)).finish(opened, plan, TrialPlan.of(opened, plan, root.registry()), true);
        return ExitCodes.OK;
    }
}
