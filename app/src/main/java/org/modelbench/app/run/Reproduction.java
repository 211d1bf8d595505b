package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Reruns a bundle's manifest and compares the rerun with the bundle: every metric of every trial
 * (timings excluded), every learning curve, and every saved model's checksum; plus a provenance
 * diff (JVM, OS, module versions, data hashes) that explains differences but does not decide them.
 *
 * @param original   the bundle checked
 * @param rerun      the fresh bundle
 * @param trials     trials compared
 * @param results    differences in results: a non-empty list means "different"
 * @param provenance differences in {@code lock.json}
 */
public record Reproduction(Bundle original, Bundle rerun, int trials, List<Difference> results,
                           List<Differences.Row> provenance) {

    /**
     * A differing value of one trial.
     *
     * @param trial e.g. {@code mlp seed 1}
     * @param file  {@code metrics.json} or {@code curve.json}
     * @param row   the key path and both values
     */
    public record Difference(String trial, String file, Differences.Row row) {
    }

    /** Whether every compared result is identical. */
    public boolean identical() {
        return results.isEmpty();
    }

    /**
     * Reruns {@code bundle} into {@code <workRoot>/<outputs.directory>/...} and compares.
     *
     * @param runner   runs the rerun (its report hook is not used for the rerun)
     * @param workRoot the project folder of the rerun
     */
    public static Reproduction of(Bundle bundle, PluginRegistry registry, ExperimentRunner runner, Path workRoot) {
        ExperimentPlan plan = ExperimentRunner.planOf(bundle, new ManifestLoader(registry));
        Bundle rerun = runner.run(plan, workRoot);
        List<Difference> results = new ArrayList<>();
        int trials = 0;
        int[] folds = Bundle.folds(plan.manifest().dataset().folds());
        for (ExperimentPlan.PlannedModel model : plan.models()) {
            for (long seed : plan.manifest().seeds()) {
                for (int fold : folds) {
                    trials++;
                    String id = model.spec().id();
                    String label = id + " seed " + seed + (fold < 0 ? "" : " fold " + fold);
                    if (!bundle.finished(id, seed, fold)) {
                        results.add(new Difference(label, Bundle.METRICS, new Differences.Row("", "(trial unfinished)",
                                "finished")));
                        continue;
                    }
                    for (String file : List.of(Bundle.METRICS, Bundle.CURVE)) {
                        Path a = bundle.trial(id, seed, fold).resolve(file);
                        Path b = rerun.trial(id, seed, fold).resolve(file);
                        Object left = Files.isRegularFile(a) ? read(a) : null;
                        Object right = read(b);
                        for (Differences.Row row : Differences.between(left, right, TrialMetrics.TIMINGS)) {
                            results.add(new Difference(label, file, row));
                            if (row.path().equals("modelSha256")) {
                                results.addAll(modelFiles(label, bundle.trial(id, seed, fold).resolve(Bundle.MODEL),
                                        rerun.trial(id, seed, fold).resolve(Bundle.MODEL)));
                            }
                        }
                    }
                }
            }
        }
        List<Differences.Row> provenance = Differences.between(Json.readTree(bundle.lock()),
                Json.readTree(rerun.lock()), Set.copyOf(Lock.VOLATILE));
        return new Reproduction(bundle, rerun, trials, results, provenance);
    }

    /** The files of two saved model folders that differ, by SHA-256, so a report names the culprit. */
    private static List<Difference> modelFiles(String label, Path a, Path b) {
        Map<String, String> left = DirectoryHash.fileHashes(a);
        Map<String, String> right = DirectoryHash.fileHashes(b);
        List<Difference> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            String x = left.getOrDefault(name, "(absent)");
            String y = right.getOrDefault(name, "(absent)");
            if (!x.equals(y)) {
                out.add(new Difference(label, Bundle.MODEL + "/" + name, new Differences.Row("sha256", x, y)));
            }
        }
        return out;
    }

    private static Object read(Path file) {
        try {
            return Json.MAPPER.readValue(Files.readString(file), Object.class);
        } catch (java.io.IOException e) {
            throw new org.modelbench.api.DataFormatException(file, -1, "expected JSON: " + e.getMessage(), e);
        }
    }
}
