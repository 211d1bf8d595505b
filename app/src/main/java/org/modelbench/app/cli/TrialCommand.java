package org.modelbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench trial BUNDLE --id ID | --index N}: run one trial of a planned bundle. */
@Command(name = "trial", mixinStandardHelpOptions = true,
        description = {"Run one trial of a bundle (the unit of work of every executor: a cluster task calls this).",
                "The trial reads only the bundle (its manifest copy, checked against resolved.json, and data checked "
                        + "against lock.json) and writes only its own folder, atomically. A finished trial is kept.",
                "Trial ids and indexes are listed in the bundle's plan.json."})
final class TrialCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "A results bundle folder (runs/<name>/<timestamp>).")
    Path bundle;

    @ArgGroup(multiplicity = "1")
    Selector selector;

    static final class Selector {
        @Option(names = "--id", paramLabel = "ID",
                description = "The trial id, e.g. mlp/seed-2 (in a suite: iris/mlp/seed-2/fold-0).")
        String id;

        @Option(names = "--index", paramLabel = "N", description = "The trial's position in plan.json, from 0.")
        Integer index;
    }

    @Override
    public Integer call() {
        ExperimentRunner runner = new ExperimentRunner(root.registry(), root.dataDirectory(),
                new Progress(spec.commandLine().getOut(), System.console() != null), null);
        ExperimentRunner.Opened opened = runner.open(Bundle.open(bundle));
        TrialPlan.PlannedTrial trial = selector.id != null ? opened.trials().byId(selector.id)
                : opened.trials().byIndex(selector.index);
        runner.runTrial(opened, trial);
        return ExitCodes.OK;
    }
}
