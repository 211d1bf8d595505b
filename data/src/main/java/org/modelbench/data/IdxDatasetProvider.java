package org.modelbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.InvalidInputException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.api.spi.DatasetProvider;

/**
 * Shared logic of datasets made of the four MNIST-style IDX files ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}),
 * cached uncompressed under {@code <cache>/<id>/} and verified against pinned SHA-256s.
 */
abstract class IdxDatasetProvider implements DatasetProvider {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** The pinned SHA-256 of each uncompressed file, by file name. */
    abstract Map<String, String> checksums();

    /**
     * Puts the four uncompressed files (any subset may be missing already) into {@code staging}.
     *
     * @throws ModelbenchException when the source cannot be reached, saying how to fix it
     */
    abstract void download(Path staging, Consumer<String> log) throws IOException, InterruptedException;

    @Override
    public List<CachedFile> files(Path cacheDirectory) {
        Path dir = cacheDirectory.resolve(id());
        return FILE_NAMES.stream().map(n -> new CachedFile(dir.resolve(n), checksums().get(n))).toList();
    }

    @Override
    public synchronized void fetch(Path cacheDirectory, Consumer<String> log) {
        if (isCached(cacheDirectory)) {
            return;
        }
        Path dir = cacheDirectory.resolve(id());
        Path staging = null;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(dir, ".fetch-");
            log.accept("fetching " + id() + " from " + info().source());
            download(staging, log);
            for (CachedFile file : files(cacheDirectory)) {
                if (Files.isRegularFile(file.path())) {
                    continue;
                }
                Path fetched = staging.resolve(file.path().getFileName());
                if (!Files.isRegularFile(fetched)) {
                    throw new ModelbenchException(id() + ": the source did not contain " + fetched.getFileName());
                }
                String actual = DataCache.sha256(fetched);
                if (!actual.equals(file.sha256())) {
                    throw new ModelbenchException(id() + ": " + fetched.getFileName() + " has SHA-256 " + actual
                            + ", expected " + file.sha256() + "; nothing was cached");
                }
                Files.move(fetched, file.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.accept("verified and cached " + file.path());
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot fetch " + id() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelbenchException("fetching " + id() + " was interrupted; nothing was cached", e);
        } finally {
            deleteRecursively(staging);
        }
    }

    @Override
    public DatasetSplits load(Path cacheDirectory, Consumer<String> log) {
        fetch(cacheDirectory, log);
        Map<String, String> hashes = new LinkedHashMap<>();
        for (CachedFile file : files(cacheDirectory)) {
            String actual = DataCache.sha256(file.path());
            if (!actual.equals(file.sha256())) {
                throw new DataFormatException(file.path(), -1, "SHA-256 " + actual + " does not match the pinned "
                        + file.sha256() + "; delete the file and fetch again");
            }
            hashes.put("sha256:" + file.path().getFileName(), actual);
        }
        Path dir = cacheDirectory.resolve(id());
        Map<String, String> metadata = new LinkedHashMap<>(hashes);
        metadata.put("source", info().source());
        return new DatasetSplits(
                read(id() + "/train", dir.resolve(TRAIN_IMAGES), dir.resolve(TRAIN_LABELS), metadata),
                read(id() + "/test", dir.resolve(TEST_IMAGES), dir.resolve(TEST_LABELS), metadata));
    }

    /** Reads an image file and its label file into a dataset with raw pixel values 0..255. */
    Dataset read(String name, Path images, Path labels, Map<String, String> metadata) {
        return readPair(name, images, labels, info().classNames(), metadata);
    }

    /**
     * Reads a pair of IDX files (rank-3 images, rank-1 labels) into a dataset.
     *
     * @throws DataFormatException when either file is malformed, the counts differ, or a label is
     *                             outside the class list
     */
    static Dataset readPair(String name, Path images, Path labels, List<String> classNames,
                            Map<String, String> metadata) {
        IdxArray x = IdxReader.read(images, 3);
        IdxArray y = IdxReader.read(labels, 1);
        if (x.count() != y.count()) {
            throw new InvalidInputException(images + " holds " + x.count() + " images but " + labels + " holds "
                    + y.count() + " labels; expected the same count");
        }
        int[] labelValues = y.toLabels();
        for (int i = 0; i < labelValues.length; i++) {
            if (labelValues[i] >= classNames.size()) {
                throw new DataFormatException(labels, 8 + i, "label " + labelValues[i] + " at index " + i
                        + "; expected 0 to " + (classNames.size() - 1));
            }
        }
        return new Dataset(name, x.toImageTensor(), labelValues, classNames, metadata);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover staging folder is hidden and ignored by every reader
        }
    }

    /**
     * Runs a command in {@code dir}, failing with its output when it exits non-zero. Its output goes to
     * a log file, so that waiting stays interruptible; an interrupt kills the command.
     */
    static void run(Path dir, Consumer<String> log, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir, ".command-", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        int code;
        try {
            code = process.waitFor();
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output).strip();
        Files.deleteIfExists(output);
        if (code != 0) {
            throw new ModelbenchException("'" + String.join(" ", command) + "' failed with exit code " + code + ": "
                    + text);
        }
    }
}
