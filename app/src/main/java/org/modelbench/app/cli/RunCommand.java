package org.modelbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.report.Report;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.DatasetCache;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench run MANIFEST} and {@code modelbench run --resume BUNDLE}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run every (model x seed) trial of a manifest into a results bundle "
                + "<outputs.directory>/<name>/<timestamp>/ with report.md and report.html.",
                "The whole manifest is checked first; a bad manifest writes nothing and exits 2."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MANIFEST", arity = "0..1", description = "A YAML or JSON manifest (docs/manifest.md).")
    Path manifest;

    @Option(names = "--resume", paramLabel = "BUNDLE",
            description = "Resume a bundle: keep its finished trials, run the others, then write the report.")
    Path resume;

    @Option(names = "--check", description = "Only check the manifest (families, params, data files) and print the "
            + "plan; write nothing.")
    boolean check;

    @Option(names = "--plan-only", description = "Only create the bundle (manifest copy, resolved config, lock, "
            + "plan.json) and print its folder; run its trials with 'modelbench trial', then 'modelbench report'.")
    boolean planOnly;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "Trials to run at once (default: ${DEFAULT-VALUE}). Each keeps its manifest's thread count "
                    + "and its own seed, so results do not change; memory use grows with N.")
    int jobs;

    @Option(names = "--project-dir", paramLabel = "DIR",
            description = "The project folder that outputs.directory is inside (default: the working folder).")
    Path projectDirectory;

    @Override
    public Integer call() {
        if ((manifest == null) == (resume == null)) {
            throw new InvalidInputException("expected a MANIFEST or --resume BUNDLE (exactly one)");
        }
        PluginRegistry registry = root.registry();
        ExperimentRunner runner = runner(registry);
        if (resume != null) {
            runner.resume(Bundle.open(resume));
        } else {
            ExperimentPlan plan = new ManifestLoader(registry, root.dataDirectory()).load(manifest);
            if (check) {
                printPlan(plan);
                return ExitCodes.OK;
            }
            Path project = projectDirectory != null ? projectDirectory : Path.of("");
            if (planOnly) {
                Bundle bundle = runner.plan(plan, DatasetCache.of(plan, root.dataDirectory(), s -> { }), project);
                spec.commandLine().getOut().println(bundle.root());
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            runner.run(plan, project);
        }
        return ExitCodes.OK;
    }

    private void printPlan(ExperimentPlan plan) {
        var out = spec.commandLine().getOut();
        if (plan.manifest().suite()) {
            out.printf("%s: OK: %d model(s) x %d seed(s) on %d datasets = %d trials%n", manifest,
                    plan.models().size(), plan.manifest().seeds().size(), plan.parts().size(), plan.trialCount());
            for (ExperimentPlan part : plan.parts()) {
                out.printf("  %s: %d trials%s%n", part.datasetLabel(), part.trialCount(),
                        part.foldCount() > 1 ? " (" + part.foldCount() + " folds)" : "");
            }
        } else {
            out.printf("%s: OK: %d model(s) x %d seed(s)%s = %d trials on %s%n", manifest, plan.models().size(),
                    plan.manifest().seeds().size(), plan.foldCount() > 1 ? " x " + plan.foldCount() + " folds" : "",
                    plan.trialCount(), plan.datasetLabel());
        }
        TextTable table = new TextTable("MODEL", "FAMILY", "VERSION", "CONFIG");
        for (ExperimentPlan.PlannedModel m : plan.models()) {
            table.row(m.spec().id(), m.family().info().id(), m.family().info().version(),
                    org.modelbench.api.RecordBinder.toTree(m.config()));
        }
        out.print(table.render());
        out.flush();
    }

    ExperimentRunner runner(PluginRegistry registry) {
        return new ExperimentRunner(registry, root.dataDirectory(),
                new Progress(spec.commandLine().getOut(), System.console() != null && jobs == 1), Report::write, jobs);
    }
}
