package org.modelbench.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.modelbench.app.plugins.PluginRegistry;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.Differences;
import org.modelbench.app.run.ExperimentRunner;
import org.modelbench.app.run.Progress;
import org.modelbench.app.run.Reproduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code modelbench reproduce BUNDLE}. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Rerun a bundle's manifest and compare every metric (timings excluded), learning curve "
                + "and saved model checksum with the bundle.",
                "Prints a verdict, the differences and the provenance diff. Exit 0 when identical, 3 when different."})
final class ReproduceCommand implements Callable<Integer> {
    private static final int MAX_ROWS = 50;

    @ParentCommand
    ModelbenchCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "A results bundle folder (runs/<name>/<timestamp>).")
    Path bundle;

    @Option(names = "--keep", paramLabel = "DIR",
            description = "Keep the rerun under DIR (default: a temporary folder, deleted afterwards).")
    Path keep;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Bundle original = Bundle.open(bundle);
        PluginRegistry registry = root.registry();
        ExperimentRunner runner = new ExperimentRunner(registry, root.dataDirectory(),
                new Progress(out, System.console() != null), null);
        Path work = keep != null ? keep : Files.createTempDirectory("modelbench-reproduce-");
        Reproduction r;
        try {
            r = Reproduction.of(original, registry, runner, work);
        } finally {
            if (keep == null) {
                Bundle.deleteTree(work);
            }
        }
        out.println();
        out.println("bundle: " + original.root());
        out.println("rerun:  " + (keep != null ? r.rerun().root() : "(temporary, deleted)"));
        if (r.identical()) {
            out.printf("verdict: IDENTICAL: %d trials, every metric and model checksum matches%n", r.trials());
        } else {
            out.printf("verdict: DIFFERENT: %d value(s) differ across %d trials%s%n", r.results().size(), r.trials(),
                    !r.kernels().isEmpty() ? ", and this JVM multiplies with another SGEMM kernel than the bundle:"
                            : !r.revisions().isEmpty() ? ", and this build computes with another engine algorithm "
                            + "revision than the bundle:" : "");
            kernelNote(out, r);
            revisionNote(out, r);
            TextTable table = new TextTable("TRIAL", "FILE", "KEY", "BUNDLE", "RERUN");
            r.results().stream().limit(MAX_ROWS).forEach(d -> table.row(d.trial(), d.file(), d.row().path(),
                    shorten(d.row().left()), shorten(d.row().right())));
            out.print(table.render());
            if (r.results().size() > MAX_ROWS) {
                out.printf("... and %d more%n", r.results().size() - MAX_ROWS);
            }
            if (r.results().stream().allMatch(d -> d.file().startsWith(Bundle.MODEL + "/"))) {
                out.println("every metric is identical; only saved model files differ: their family writes something "
                        + "run-dependent (a timestamp, a timing, an unordered map) into them");
            }
        }
        out.println();
        if (r.provenance().isEmpty()) {
            out.println("provenance: no difference (JVM, OS, modules, data hashes, host)");
        } else {
            out.println("provenance differences:");
            TextTable table = new TextTable("KEY", "BUNDLE", "RERUN");
            for (Differences.Row row : r.provenance()) {
                table.row(row.path(), shorten(row.left()), shorten(row.right()));
            }
            out.print(table.render());
        }
        out.flush();
        return r.identical() ? ExitCodes.OK : ExitCodes.DIFFERENT;
    }

    /**
     * When the rerun multiplied with another SGEMM kernel than the bundle (OpenBLAS and the Java kernel round
     * differently): names both and says how to select the bundle's.
     */
    private static void kernelNote(PrintWriter out, Reproduction r) {
        for (List<Reproduction.KernelChange> group : byPair(r.kernels(), k -> List.of(k.bundle(), k.rerun()))) {
            Reproduction.KernelChange k = group.get(0);
            String how;
            if (k.bundleBlocking() != null) {
                how = "the bundle's engine cut OpenBLAS products into blocks by another rule ('" + k.bundleBlocking()
                        + "'), so only a build with that rule reproduces its bits: rerun with the build that made the bundle";
            } else if (k.bundleCore() != null) {
                how = "rerun with MODELBENCH_OPENBLAS_CORETYPE=" + k.bundleCore() + " (OpenBLAS's OPENBLAS_CORETYPE)";
            } else {
                how = "rerun with " + k.selection() + " (java -D" + Reproduction.KERNEL_PROPERTY + "="
                        + k.selection().substring(k.selection().indexOf('=') + 1) + ") to use the bundle's kernel";
            }
            out.printf("  the bundle's trials used SGEMM kernel '%s', this rerun '%s' (%s); kernels round "
                    + "differently: %s%n", k.bundle(), k.rerun(), trials(group, Reproduction.KernelChange::trial), how);
        }
    }

    /**
     * When the rerun computed with another revision of the engine's algorithms than the bundle (or the bundle
     * records none): one line per distinct pair of revisions, with the trials it concerns.
     */
    private static void revisionNote(PrintWriter out, Reproduction r) {
        for (List<Reproduction.RevisionChange> group : byPair(r.revisions(), c -> c.bundle() + " -> " + c.rerun())) {
            out.printf("  %s (%s)%n", group.get(0).reason(), trials(group, Reproduction.RevisionChange::trial));
        }
    }

    /** {@code changes} grouped by the pair of values they differ in, groups and their members in first-seen order. */
    private static <T, K> Collection<List<T>> byPair(List<T> changes, Function<T, K> pair) {
        Map<K, List<T>> groups = new LinkedHashMap<>();
        for (T c : changes) {
            groups.computeIfAbsent(pair.apply(c), x -> new ArrayList<>()).add(c);
        }
        return groups.values();
    }

    /** {@code "2 trial(s): a, b"}: how many changes a group has, and their trials. */
    private static <T> String trials(List<T> group, Function<T, String> trial) {
        return group.size() + " trial(s): " + String.join(", ", group.stream().map(trial).toList());
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
