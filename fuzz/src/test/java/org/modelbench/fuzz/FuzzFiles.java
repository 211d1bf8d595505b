package org.modelbench.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.modelbench.api.InvalidInputException;

/**
 * What every fuzz target shares: one scratch folder per JVM, rewritten for each input, and the rule
 * that a reader of untrusted bytes may fail only with {@link InvalidInputException} (the typed
 * bad-input error, exit code 2); anything else escapes and is a finding.
 */
public final class FuzzFiles {
    private static final Path SCRATCH = create();

    private FuzzFiles() {
    }

    private static Path create() {
        try {
            // tmpfs when there is one: each input is written to a file, so this is the fuzzers' inner loop
            Path shm = Path.of("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "modelbench-fuzz") : Files.createTempDirectory("modelbench-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty scratch folder named {@code name} (emptied if it exists). */
    public static Path folder(String name) {
        Path dir = SCRATCH.resolve(name);
        delete(dir);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code dir/name}. */
    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code reader}; a typed bad-input error is an expected outcome, anything else propagates. */
    public static void expectOnlyTypedErrors(Runnable reader) {
        try {
            reader.run();
        } catch (InvalidInputException expected) {
            // the reader refused the input with a one-line error: correct
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
