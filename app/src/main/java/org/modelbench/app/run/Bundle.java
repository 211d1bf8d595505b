package org.modelbench.app.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
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
 * trials/MODEL/seed-S/          one folder per trial (seed-S-fold-F with dataset.folds):
 *     model/                    the saved model
 *     curve.json                the per-epoch learning curve
 *     predictions.json          test labels and predictions
 *     preprocessing.json        the fitted preprocessing (for predict)
 *     provenance.json           the trained model's own provenance (family, version, config, details)
 *     metrics.json              written last: its presence marks the trial finished
 * report.md, report.html, plots/*.png
 * </pre>
 *
 * @param root the bundle folder
 */
public record Bundle(Path root) {
    public static final String RESOLVED = "resolved.json";
    public static final String LOCK = "lock.json";
    public static final String METRICS = "metrics.json";
    public static final String CURVE = "curve.json";
    public static final String PREDICTIONS = "predictions.json";
    public static final String MODEL = "model";
    public static final String PROVENANCE = "provenance.json";
    public static final String REPORT_MD = "report.md";
    public static final String REPORT_HTML = "report.html";
    public static final String PLOTS = "plots";
    /** A trial's picture of its augmented training images. */
    public static final String AUGMENTED_SAMPLES = "augmented-samples.png";

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
     * @throws InvalidInputException when {@code dir} is not a bundle
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

    public Path trial(String model, long seed) {
        return trial(model, seed, -1);
    }

    /**
     * The folder of trial ({@code model}, {@code seed}, {@code fold}): {@code seed-S} without
     * cross-validation ({@code fold < 0}), else {@code seed-S-fold-F}.
     */
    public Path trial(String model, long seed, int fold) {
        return root.resolve("trials").resolve(model).resolve("seed-" + seed + (fold < 0 ? "" : "-fold-" + fold));
    }

    /** Whether trial ({@code model}, {@code seed}, {@code fold}) has finished: its metrics.json exists. */
    public boolean finished(String model, long seed, int fold) {
        return Files.isRegularFile(trial(model, seed, fold).resolve(METRICS));
    }

    /** The folds of each seed's trials in the manifest's resolved tree: 0..K-1, or just -1 without folds. */
    public static int[] folds(Object folds) {
        int k = folds instanceof Number n ? n.intValue() : 0;
        return k < 2 ? new int[] {-1} : java.util.stream.IntStream.range(0, k).toArray();
    }

    /** Whether trial ({@code model}, {@code seed}) has finished: its metrics.json exists. */
    public boolean finished(String model, long seed) {
        return Files.isRegularFile(trial(model, seed).resolve(METRICS));
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
