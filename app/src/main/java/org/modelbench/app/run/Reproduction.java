package org.modelbench.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.modelbench.app.manifest.ExperimentPlan;
import org.modelbench.app.manifest.ManifestLoader;
import org.modelbench.app.plugins.PluginRegistry;

/**
 * Reruns a bundle's manifest and compares the rerun with the bundle: every metric of every trial
 * (timings excluded), every learning curve, every saved model file (hashed from the bundle's own
 * bytes, never taken from what {@code metrics.json} says), each model checksum the bundle recorded
 * against the model folder as it is now, and the data SHA-256s of {@code lock.json} against the data
 * the rerun read. The rest of the lock (JVM, OS, modules, host) is a provenance diff that explains
 * differences but does not decide them.
 *
 * @param original   the bundle checked
 * @param rerun      the fresh bundle
 * @param trials     trials compared
 * @param results    differences in results: a non-empty list means "different"
 * @param provenance differences in {@code lock.json}
 * @param kernels    the SGEMM kernels that made the bundle's trials and the rerun's, where they differ (the
 *                   {@value #SGEMM_DETAIL} detail of each trial's {@code provenance.json}): the likely cause of
 *                   differing numbers
 * @param revisions  the engine algorithm revisions that made the bundle's trials and the rerun's, where they differ
 *                   (the {@value #REVISION_DETAIL} detail): another likely cause of differing numbers
 */
public record Reproduction(Bundle original, Bundle rerun, int trials, List<Difference> results,
                           List<Differences.Row> provenance, List<KernelChange> kernels,
                           List<RevisionChange> revisions) {

    /**
     * The provenance detail that names the SGEMM kernel a trial's numbers came from (the engine's and the
     * ONNX plugin's models record it): {@code java}, or e.g. {@code openblas 0.3.21 Cooperlake, java below ...}.
     * Its first word is the value of the JVM property {@value #KERNEL_PROPERTY} (the launcher's
     * {@code MODELBENCH_BLAS}) that selects that kernel.
     */
    public static final String SGEMM_DETAIL = "sgemm";
    /** The engine's kernel selection, as the JVM property. */
    public static final String KERNEL_PROPERTY = "modelbench.engine.blas";
    /**
     * The provenance detail that names the revision of the engine's numerical algorithms a trial's numbers came
     * from (engine-java's {@code AlgorithmRevision}; the engine's and the ONNX plugin's trained models record it).
     */
    public static final String REVISION_DETAIL = "engineRevision";

    /**
     * One trial whose rerun computed with another revision of the engine's algorithms than the bundle's trial:
     * the engine changed how some training or inference computation rounds, so only the build that made the
     * bundle reproduces its bits.
     *
     * @param trial  e.g. {@code cnn seed 1}
     * @param bundle the bundle's revision, or {@code null} when the bundle's trial records none (it was written
     *               before revisions were recorded: unknown)
     * @param rerun  the rerun's revision
     */
    public record RevisionChange(String trial, String bundle, String rerun) {
        public RevisionChange {
            Objects.requireNonNull(rerun, "rerun");
        }

        /**
         * Why the numbers may differ and what to do, for {@code reproduce}'s verdict: the two revisions, or that the
         * bundle's is unknown.
         */
        public String reason() {
            if (bundle == null) {
                return "the bundle's trials record no engine algorithm revision (they were written before revisions "
                        + "were recorded: unknown), this rerun computes with revision " + rerun + "; the engine that made "
                        + "them may have rounded some training or inference computation differently: rerun with the "
                        + "build that made the bundle to tell";
            }
            return "the bundle's trials were computed by engine algorithm revision " + bundle + ", this rerun by revision "
                    + rerun + "; the revisions round some training or inference computation differently, so only a "
                    + "build of revision " + bundle + " reproduces the bundle's bits: rerun with the build that made it";
        }

        /**
         * The change of one trial, or {@code null} when there is none: the rerun records no revision (a family the
         * engine does not compute), or both record the same.
         */
        static RevisionChange of(String trial, String bundle, String rerun) {
            return rerun == null || rerun.equals(bundle) ? null : new RevisionChange(trial, bundle, rerun);
        }
    }

    /**
     * One trial whose rerun multiplied with another SGEMM kernel than the bundle's trial.
     *
     * @param trial  e.g. {@code mlp seed 1}
     * @param bundle the bundle's kernel
     * @param rerun  the rerun's kernel
     */
    public record KernelChange(String trial, String bundle, String rerun) {
        /** {@code MODELBENCH_BLAS=openblas}: how to rerun with the bundle's kernel. */
        public String selection() {
            int space = bundle.indexOf(' ');
            return "MODELBENCH_BLAS=" + (space < 0 ? bundle : bundle.substring(0, space));
        }

        /**
         * The OpenBLAS core named in {@code kernel} ({@code openblas <version> <core>, ...}), or {@code null}.
         */
        static String core(String kernel) {
            String[] words = kernel.split("[ ,]+");
            return words.length >= 3 && words[0].equals("openblas") ? words[2] : null;
        }

        private static final Pattern BLOCKS = Pattern.compile("\\bblocks (v\\d+)\\b");

        /**
         * The rule that cut OpenBLAS products into blocks, named in {@code kernel} ({@code "blocks v2"}; kernels
         * recorded before the rule had a name say none, which is {@code "blocks v1"}), or {@code null} when
         * {@code kernel} is not OpenBLAS.
         */
        static String blocking(String kernel) {
            if (core(kernel) == null) {
                return null;
            }
            Matcher m = BLOCKS.matcher(kernel);
            return m.find() ? "blocks " + m.group(1) : "blocks v1";
        }

        /**
         * When both are OpenBLAS on the same core but with different block rules: the bundle's rule (it came from
         * another build of the engine, which only that build reproduces), else {@code null}.
         */
        public String bundleBlocking() {
            String mine = blocking(bundle);
            String theirs = blocking(rerun);
            return mine != null && theirs != null && bundleCore() == null && Objects.equals(core(bundle), core(rerun))
                    && !mine.equals(theirs) ? mine : null;
        }

        /** When both are OpenBLAS on different cores: the core the bundle used, else {@code null}. */
        public String bundleCore() {
            String mine = core(bundle);
            String theirs = core(rerun);
            return mine != null && theirs != null && !mine.equals(theirs) ? mine : null;
        }
    }

    /** Keys of {@code metrics.json} checked by hashing the files they describe, not by value. */
    private static final Set<String> CHECKSUM_KEYS = Set.of("modelSha256", "files");

    /** Keys of {@code metrics.json} that bundles written before they existed lack: absent there, not compared. */
    private static final Set<String> ADDED_KEYS = Set.of("validationAccuracy");

    /**
     * A differing value of one trial.
     *
     * @param trial e.g. {@code mlp seed 1}; {@code bundle} for the bundle's own files
     * @param file  {@code metrics.json}, {@code curve.json}, {@code model/<file>} or {@code lock.json}
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
        List<KernelChange> kernels = new ArrayList<>();
        List<RevisionChange> revisions = new ArrayList<>();
        int trials = 0;
        for (TrialPlan.PlannedTrial trial : TrialPlan.of(plan, registry).trials()) {
            if (trial.candidate() != null) {
                continue; // a search's candidates: their selection and the selected trial are compared
            }
            trials++;
            String label = trial.label();
            Path mine = bundle.trial(trial);
            if (!Files.isRegularFile(mine.resolve(Bundle.METRICS))) {
                results.add(new Difference(label, Bundle.METRICS, new Differences.Row("", "(trial unfinished)",
                        "finished")));
                continue;
            }
            Path theirs = rerun.trial(trial);
            for (String file : List.of(Bundle.METRICS, Bundle.CURVE, Selection.FILE_NAME)) {
                Path a = mine.resolve(file);
                Path b = theirs.resolve(file);
                if (file.equals(Selection.FILE_NAME) && !Files.isRegularFile(a) && !Files.isRegularFile(b)) {
                    continue;
                }
                Object left = Files.isRegularFile(a) ? read(a) : null;
                Object right = Files.isRegularFile(b) ? read(b) : null;
                for (Differences.Row row : Differences.ofResults(left, right,
                        file.equals(Bundle.METRICS) ? CHECKSUM_KEYS : Set.of())) {
                    if (!(ADDED_KEYS.contains(row.path()) && row.left().equals("(absent)"))) {
                        results.add(new Difference(label, file, row));
                    }
                }
            }
            String kernel = detail(mine.resolve(Bundle.PROVENANCE), SGEMM_DETAIL);
            String rerunKernel = detail(theirs.resolve(Bundle.PROVENANCE), SGEMM_DETAIL);
            if (kernel != null && rerunKernel != null && !kernel.equals(rerunKernel)) {
                kernels.add(new KernelChange(label, kernel, rerunKernel));
            }
            RevisionChange revision = RevisionChange.of(label, detail(mine.resolve(Bundle.PROVENANCE), REVISION_DETAIL),
                    detail(theirs.resolve(Bundle.PROVENANCE), REVISION_DETAIL));
            if (revision != null) {
                revisions.add(revision);
            }
            results.addAll(modelFiles(bundle, label, mine.resolve(Bundle.MODEL), theirs.resolve(Bundle.MODEL)));
            results.addAll(recordedChecksums(bundle, label, mine));
        }
        Map<String, Object> lock = Json.readTree(bundle.lock());
        Map<String, Object> rerunLock = Json.readTree(rerun.lock());
        boolean suite = plan.manifest().suite();
        Map<String, Map<String, String>> recorded = Lock.read(bundle.lock()).hashesByDataset();
        Map<String, Map<String, String>> reread = Lock.read(rerun.lock()).hashesByDataset();
        for (Differences.Row row : Differences.between(suite ? recorded : recorded.values().iterator().next(),
                suite ? reread : reread.values().iterator().next(), Set.of())) {
            results.add(new Difference("bundle", Bundle.LOCK, new Differences.Row((suite ? "datasets.sha256" : "data.sha256")
                    + (row.path().isEmpty() ? "" : "." + row.path()), row.left(), row.right())));
        }
        List<Differences.Row> provenance = Differences.ofResults(lock, rerunLock, Set.of("bundleFormat")).stream()
                .filter(row -> !row.path().startsWith("data.sha256") && !row.path().matches("datasets\\[\\d+]\\.sha256.*"))
                .toList();
        return new Reproduction(bundle, rerun, trials, results, provenance, List.copyOf(kernels),
                List.copyOf(revisions));
    }

    /**
     * The detail {@code name} ({@value #SGEMM_DETAIL}, {@value #REVISION_DETAIL}) of a trial's {@code provenance.json},
     * or {@code null} when the file or the detail is absent (older bundles, families that multiply no matrices).
     */
    static String detail(Path provenanceFile, String name) {
        if (!Files.isRegularFile(provenanceFile)) {
            return null;
        }
        Object tree = read(provenanceFile);
        if (tree instanceof Map<?, ?> m && m.get("details") instanceof Map<?, ?> details
                && details.get(name) instanceof String value) {
            return value;
        }
        return null;
    }

    /**
     * The files of two saved model folders that differ, by SHA-256, so a report names the culprit. A
     * bundle of format 1 predates model cards: the rerun's card is not compared.
     */
    private static List<Difference> modelFiles(Bundle bundle, String label, Path a, Path b) {
        Map<String, String> left = DirectoryHash.fileHashes(a);
        Map<String, String> right = DirectoryHash.fileHashes(b);
        if (bundle.format() < 2 && !left.containsKey(ModelCard.FILE_NAME)) {
            right.remove(ModelCard.FILE_NAME);
        }
        List<Difference> out = new ArrayList<>();
        Set<String> names = new TreeSet<>(left.keySet());
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

    /**
     * The checksums {@code metrics.json} recorded (the model folder's; each file's, in bundles that
     * record them) against the trial folder's bytes now: a file changed, deleted or added after the run.
     */
    private static List<Difference> recordedChecksums(Bundle bundle, String label, Path trial) {
        Map<?, ?> metrics = read(trial.resolve(Bundle.METRICS)) instanceof Map<?, ?> m ? m : Map.of();
        List<Difference> out = new ArrayList<>();
        if (metrics.get("files") instanceof Map<?, ?> recorded) {
            Map<String, String> actual = DirectoryHash.fileHashes(trial);
            actual.remove(Bundle.METRICS);
            Set<String> names = new TreeSet<>(actual.keySet());
            recorded.keySet().forEach(k -> names.add(String.valueOf(k)));
            for (String name : names) {
                String was = recorded.containsKey(name) ? String.valueOf(recorded.get(name)) : "(absent)";
                String now = actual.getOrDefault(name, "(absent)");
                if (!was.equals(now)) {
                    out.add(new Difference(label, name, new Differences.Row("sha256 (recorded vs now)", was, now)));
                }
            }
        }
        Path model = trial.resolve(Bundle.MODEL);
        String actual = Files.isDirectory(model) ? bundle.modelChecksum(model) : "(absent)";
        if (!actual.equals(metrics.get("modelSha256"))) {
            out.add(new Difference(label, Bundle.MODEL + "/", new Differences.Row("modelSha256 (recorded vs now)",
                    String.valueOf(metrics.get("modelSha256")), actual)));
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
