package org.modelbench.bench.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code bench --save}: each result written atomically as {@code <dir>/bench-<UTC time>.json}
 * (default dir {@code ~/.modelbench/bench-history}), the same JSON as {@code --json}, so that
 * {@code bench --compare FILE} can read any of them back.
 */
final class BenchHistory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private BenchHistory() {
    }

    static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".modelbench", "bench-history");
    }

    static String json(Map<String, Object> result) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code result} into {@code dir}; returns the file. */
    static Path save(Map<String, Object> result, Path dir, Instant when) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("bench-" + STAMP.format(when) + ".json");
        Path tmp = Files.createTempFile(dir, "bench-", ".tmp");
        try {
            Files.writeString(tmp, json(result) + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }
}
