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
 * Shared logic of built-in datasets made of a fixed list of files, cached under
 * {@code <cache>/<id>/} and verified against pinned SHA-256s: fetching into a hidden staging folder,
 * verifying, and moving each file into place atomically, so a failed or interrupted fetch caches
 * nothing half-written.
 */
abstract class VerifiedFilesProvider implements DatasetProvider {

    /** The file names, in order. */
    abstract List<String> fileNames();

    /** The pinned SHA-256 of each file, by file name. */
    abstract Map<String, String> checksums();

    /**
     * Puts the files (any subset may be missing already) into {@code staging}.
     *
     * @throws ModelbenchException when the source cannot be reached, saying how to fix it
     */
    abstract void download(Path staging, Consumer<String> log) throws IOException, InterruptedException;

    @Override
    public List<CachedFile> files(Path cacheDirectory) {
        Path dir = cacheDirectory.resolve(id());
        return fileNames().stream().map(n -> new CachedFile(dir.resolve(n), checksums().get(n))).toList();
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

    /**
     * Fetches if needed, then re-hashes every file against its pin.
     *
     * @return the metadata entries {@code sha256:<file name>} and {@code source}
     */
    Map<String, String> verified(Path cacheDirectory, Consumer<String> log) {
        fetch(cacheDirectory, log);
        Map<String, String> metadata = new LinkedHashMap<>();
        for (CachedFile file : files(cacheDirectory)) {
            String actual = DataCache.sha256(file.path());
            if (!actual.equals(file.sha256())) {
                throw new DataFormatException(file.path(), -1, "SHA-256 " + actual + " does not match the pinned "
                        + file.sha256() + "; delete the file and fetch again");
            }
            metadata.put("sha256:" + file.path().getFileName(), actual);
        }
        metadata.put("source", info().source());
        return metadata;
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
