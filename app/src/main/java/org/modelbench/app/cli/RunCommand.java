package org.modelbench.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.modelbench.api.InvalidInputException;
import org.modelbench.app.manifest.ExecutorKind;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.report.Report;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.DatasetCache;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.TrialPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--executor", paramLabel = "NAME", converter = ExecutorKindConverter.class,
            description = "Where the trials run: local (this machine, --jobs at a time), spark, or slurm (an sbatch "
                    + "job array on a shared file system; docs/executors.md). Default: the manifest's executor.type, "
                    + "else local. No result depends on it.")
    ExecutorKind executor;

    @Mixin
    SparkOptions sparkOptions = new SparkOptions();

    @Mixin
    SlurmOptions slurm;

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
            Bundle bundle = Bundle.open(resume);
            ExperimentPlan plan = ExperimentRunner.planOf(bundle, new ManifestLoader(registry, root.dataDirectory()));
            switch (executorOf(plan)) {
                case LOCAL -> {
                    slurm.requireUnused("local");
                    runner.resume(bundle);
                }
                case SPARK -> {
                    slurm.requireUnused("spark");
                    sparkOptions.runner(root, registry, plan, progress()).resume(bundle);
                }
                case SLURM -> slurm.resume(root, runner, bundle, spec.commandLine().getOut());
            }
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
            switch (executorOf(plan)) {
                case LOCAL -> {
                    slurm.requireUnused("local");
                    runner.run(plan, project);
                }
                case SPARK -> {
                    slurm.requireUnused("spark");
                    sparkOptions.runner(root, registry, plan, progress()).run(plan, project);
                }
                case SLURM -> slurm.run(root, runner, plan, project, spec.commandLine().getOut());
            }
        }
        return ExitCodes.OK;
    }

    /** {@code --executor}, else the manifest's {@code executor.type}. */
    private ExecutorKind executorOf(ExperimentPlan plan) {
        return executor != null ? executor : plan.manifest().executor().type();
    }


    private void printPlan(ExperimentPlan plan) {
        var out = spec.commandLine().getOut();
        TrialPlan.of(plan, root.registry()); // every search candidate binds, as the plan step will check
        if (plan.manifest().suite()) {
            out.printf("%s: OK: %s%n", manifest, plan.sizeLine());
            for (ExperimentPlan part : plan.parts()) {
                out.printf("  %s: %s%n", part.datasetLabel(), part.sizeLine());
            }
        } else {
            out.printf("%s: OK: %s on %s%n", manifest, plan.sizeLine(), plan.datasetLabel());
        }
        TextTable table = new TextTable("MODEL", "FAMILY", "VERSION", "CONFIG");
        for (ExperimentPlan.PlannedModel m : plan.models()) {
            Object config = org.modelbench.api.RecordBinder.toTree(m.config());
            table.row(m.spec().id(), m.family().info().id(), m.family().info().version(), m.search() == null ? config
                    : m.search().spec().strategy().name().toLowerCase(java.util.Locale.ROOT) + " search over "
                    + m.search().dimensions().stream().map(d -> d.key() + " " + d.kind().key() + " " + d.values())
                    .toList() + "; default " + config);
        }
        out.print(table.render());
        out.flush();
    }

    ExperimentRunner runner(PluginRegistry registry) {
        return new ExperimentRunner(registry, root.dataDirectory(), progress(), Report::write, jobs);
    }

    private Progress progress() {
        return new Progress(spec.commandLine().getOut(), System.console() != null && jobs == 1);
    }
}
