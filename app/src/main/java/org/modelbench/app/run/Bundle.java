package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;

/**
 * The layout of a results bundle:
 * <pre>
 * manifest.yaml|json            the manifest as given
 * resolved.json                 every default filled in, each model's full family config, the source
 * lock.json                     provenance: modules, data SHA-256s, JVM/OS/CPU/host, threads, git commit
 * plan.json                     the trial list: each trial's id, model, family, params, seed (and fold)
 * trials/MODEL/seed-S/          one folder per trial (its id: [DATASET/]MODEL[/cand-C]/seed-S[/fold-F]):
 *     model/                    the saved model, with modelbench-card.json (providers, classes, shape,
 *                               preprocessing: everything predict needs)
 *     curve.json                the per-epoch learning curve
 *     predictions.json          test labels and predictions
 *     preprocessing.json        the fitted preprocessing (for predict)
 *     provenance.json           the trained model's own provenance (family, version, config, details)
 *     metrics.json              written last, with every other file's SHA-256: its presence marks the
 *                               trial finished (the folder is written beside as .seed-S.partial-*, then renamed)
 * trials/MODEL/cand-C/seed-S/    a search candidate: curve.json and metrics.json ({@link CandidateMetrics}, validation
 *                               metrics only); its selecting trial trials/MODEL/seed-S/ adds selection.json
 * report.md, report.html, plots/*.png, report.json
 * cache/                        content-addressed caches shared by the run's trials (frozen-base features
 *                               of onnx-transfer models): any trial may read, write or recompute an entry
 *                               with the same bits; deleted once every trial has finished
 * </pre>
 *
 * @param root the bundle folder
 */
public record Bundle(Path root) {
    public static final String RESOLVED = "resolved.json";
    public static final String PLAN = TrialPlan.FILE_NAME;
    public static final String LOCK = "lock.json";
    public static final String METRICS = "metrics.json";
    public static final String CURVE = "curve.json";
    public static final String PREDICTIONS = "predictions.json";
    public static final String MODEL = "model";
    public static final String PROVENANCE = "provenance.json";
    public static final String REPORT_MD = "report.md";
    public static final String REPORT_HTML = "report.html";
    public static final String PLOTS = "plots";
    /** The run's shared cache folder ({@link org.modelbench.api.RunContext#sharedCache()}). */
    public static final String CACHE = "cache";
    /** A trial's picture of its augmented training images. */
    public static final String AUGMENTED_SAMPLES = "augmented-samples.png";

    /**
     * The bundle layout version in {@code lock.json} ({@code bundleFormat}): 2 frames the model
     * checksum with lengths ({@link DirectoryHash#sha256}); bundles without the key are version 1
     * ({@link DirectoryHash#legacySha256}).
     */
    public static final int FORMAT = 2;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * Creates {@code <runs>/<name>/<UTC timestamp>/} (adding a suffix if that folder exists) with its
     * first files: {@code initializer} writes them into a hidden staging folder that is then renamed,
     * so a bundle folder either does not exist or holds its manifest, resolved config and lock.
     */
    public static Bundle create(Path runs, String name, java.util.function.Consumer<Path> initializer) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path parent = runs.resolve(name);
        try {
            Files.createDirectories(parent);
            Path staging = Files.createTempDirectory(parent, ".staging-");
            try {
                initializer.accept(staging);
                for (int i = 1; ; i++) {
                    Path candidate = parent.resolve(i == 1 ? stamp : stamp + "-" + i);
                    if (Files.exists(candidate)) {
                        continue;
                    }
                    try {
                        Files.move(staging, candidate, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        return new Bundle(candidate);
                    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                        // another run took this name in the meantime: try the next suffix
                    }
                }
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot create a bundle under " + parent + ": " + e.getMessage(), e);
        }
    }

    /**
     * An existing bundle.
     *
     * @throws InvalidInputException when {@code dir} is not a bundle, or a symbolic link in it leaves it
     */
    public static Bundle open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": no such bundle folder");
        }
        Bundle bundle = new Bundle(dir);
        if (!Files.isRegularFile(bundle.resolved()) || bundle.manifestCopy().isEmpty()) {
            throw new InvalidInputException(dir + ": not a results bundle (expected " + RESOLVED
                    + " and manifest.yaml or manifest.json)");
        }
        refuseLinksLeaving(dir);
        return bundle;
    }

    /** The file name the manifest copy gets for an original named {@code fileName}. */
    public static String manifestCopyName(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? "manifest.json" : "manifest.yaml";
    }

    public Optional<Path> manifestCopy() {
        return Stream.of("manifest.yaml", "manifest.json").map(root::resolve).filter(Files::isRegularFile)
                .findFirst();
    }

    public Path resolved() {
        return root.resolve(RESOLVED);
    }

    public Path lock() {
        return root.resolve(LOCK);
    }

    /** The layout version this bundle was written with (1 for bundles older than the key). */
    public int format() {
        Integer format = Lock.read(lock()).bundleFormat();
        return format == null ? 1 : format;
    }

    /** The checksum of a saved model folder as this bundle's format computes it. */
    public String modelChecksum(Path modelDirectory) {
        return format() >= 2 ? DirectoryHash.sha256(modelDirectory) : DirectoryHash.legacySha256(modelDirectory);
    }

    /** The folder of {@code trial}: {@code trials/<id>}. */
    public Path trial(TrialPlan.PlannedTrial trial) {
        return root.resolve("trials").resolve(trial.id());
    }

    public Path trial(String model, long seed) {
        return root.resolve("trials").resolve(model).resolve("seed-" + seed);
    }

    /** Whether trial ({@code model}, {@code seed}) has finished: its metrics.json exists. */
    public boolean finished(String model, long seed) {
        return Files.isRegularFile(trial(model, seed).resolve(METRICS));
    }

    /** The folder of trial ({@code model}, {@code seed}, {@code fold}); {@code fold} is null without folds. */
    public Path trial(String model, long seed, Integer fold) {
        return root.resolve("trials").resolve(TrialPlan.PlannedTrial.idOf(model, seed, fold));
    }

    /** Whether trial ({@code model}, {@code seed}, {@code fold}) has finished: its metrics.json exists. */
    public boolean finished(String model, long seed, Integer fold) {
        return Files.isRegularFile(trial(model, seed, fold).resolve(METRICS));
    }

    /** The folds of each seed for {@code dataset.folds}: 0 to K - 1, or just {@code null} without folds. */
    public static List<Integer> folds(Integer folds) {
        if (folds == null || folds < 2) {
            java.util.List<Integer> none = new java.util.ArrayList<>();
            none.add(null);
            return none;
        }
        return java.util.stream.IntStream.range(0, folds).boxed().toList();
    }

    /**
     * Refuses a bundle with a symbolic link (file or folder) that resolves outside it: every reader of
     * the bundle may then trust that what it reads is the bundle's own.
     *
     * @throws InvalidInputException naming the link
     */
    static void refuseLinksLeaving(Path dir) {
        try {
            Path real = dir.toRealPath();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.forEach(p -> DirectoryHash.staysInside(p, real));
            }
        } catch (IOException e) {
            throw new InvalidInputException(dir + ": cannot read the bundle: " + e.getMessage());
        }
    }

    /**
     * A fresh hidden staging folder beside the trial folder {@code folder}
     * ({@code .<name>.partial-*}); stale ones of earlier, killed runs are deleted.
     */
    public static Path stagingBeside(Path folder) {
        String prefix = "." + folder.getFileName() + ".partial-";
        try {
            Files.createDirectories(folder.getParent());
            try (Stream<Path> siblings = Files.list(folder.getParent())) {
                for (Path stale : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                    deleteTree(stale);
                }
            }
            return Files.createTempDirectory(folder.getParent(), prefix);
        } catch (IOException e) {
            throw new ModelbenchException("cannot create a staging folder beside " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames the complete staging folder {@code staging} (its {@code metrics.json} written last) to the
     * trial folder {@code folder}, replacing an unfinished one; a folder finished elsewhere meanwhile is
     * kept (it is as good as this one).
     */
    public static void moveIntoPlace(Path staging, Path folder) {
        try {
            if (Files.exists(folder) && !Files.isRegularFile(folder.resolve(METRICS))) {
                deleteTree(folder);
            }
            Files.move(staging, folder, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            // the same trial finished elsewhere meanwhile: its folder is as good as ours
        } catch (IOException e) {
            throw new ModelbenchException("cannot move " + staging + " to " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder tree if it exists (an unfinished trial before it reruns). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
