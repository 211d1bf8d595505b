package org.modelbench.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.modelbench.api.DataFormatException;
import org.modelbench.api.ModelbenchException;
import org.modelbench.app.run.Bundle;
import org.modelbench.app.run.CandidateMetrics;
import org.modelbench.app.run.DirectoryHash;
import org.modelbench.app.run.Json;
import org.modelbench.app.run.TrialMetrics;

/** A trial folder as bytes: read on one machine, written on another, atomically, {@code metrics.json} last. */
final class TrialFiles {
    private TrialFiles() {
    }

    /**
     * What a finished trial's {@code metrics.json} records: a trial's {@link TrialMetrics}, or a search
     * candidate's {@link CandidateMetrics} (validation rows only).
     *
     * @param files      SHA-256 of every other file of the folder, or {@code null} when not recorded
     * @param scoreLabel what {@code score} is: {@code test accuracy} or {@code validation accuracy}
     * @param score      that accuracy
     */
    record Recorded(Map<String, String> files, String scoreLabel, double score) {
        /** Reads {@code bytes}, the {@code metrics.json} of the trial folder {@code file} belongs to. */
        static Recorded read(Path file, byte[] bytes) {
            try {
                if (Json.MAPPER.readTree(bytes).has("candidate")) {
                    CandidateMetrics m = Json.MAPPER.readValue(bytes, CandidateMetrics.class);
                    return new Recorded(m.files(), "validation accuracy", m.validationAccuracy());
                }
                TrialMetrics m = Json.MAPPER.readValue(bytes, TrialMetrics.class);
                return new Recorded(m.files(), "test accuracy", m.accuracy());
            } catch (IOException e) {
                throw new DataFormatException(file, -1, "expected trial or candidate metrics: " + e.getMessage(), e);
            }
        }

        /** Reads the file {@code file}. */
        static Recorded read(Path file) {
            try {
                return read(file, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new ModelbenchException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Every file of {@code folder} by relative path, {@code /}-separated. */
    static Map<String, byte[]> read(Path folder) {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                out.put(folder.relativize(file).toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new ModelbenchException("cannot read trial folder " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Writes {@code files} as the finished trial folder {@code folder}: into a staging folder beside it,
     * each file's SHA-256 checked against the {@code files} map of its {@code metrics.json}, which is
     * written last, then renamed into place. A folder that has finished meanwhile is kept.
     *
     * @return what the trial's {@code metrics.json} records
     * @throws DataFormatException when a path leaves the folder, {@code metrics.json} is missing, or a
     *                             file's SHA-256 differs from what {@code metrics.json} records
     */
    static Recorded write(Path folder, Map<String, byte[]> files) {
        byte[] metricsBytes = files.get(Bundle.METRICS);
        Path metricsFile = folder.resolve(Bundle.METRICS);
        if (metricsBytes == null) {
            throw new DataFormatException(metricsFile, -1, "the trial's files came without " + Bundle.METRICS);
        }
        Recorded metrics = Recorded.read(metricsFile, metricsBytes);
        if (Files.isRegularFile(metricsFile)) {
            return metrics;
        }
        Path staging = Bundle.stagingBeside(folder);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                if (!file.getKey().equals(Bundle.METRICS)) {
                    write(staging, file.getKey(), file.getValue());
                }
            }
            Map<String, String> actual = DirectoryHash.fileHashes(staging);
            if (metrics.files() != null && !metrics.files().equals(actual)) {
                throw new DataFormatException(metricsFile, -1, "the trial's files do not have the SHA-256s its "
                        + Bundle.METRICS + " records (" + org.modelbench.app.run.Differences.first(metrics.files(), actual)
                        + "); expected the files the executor wrote");
            }
            write(staging, Bundle.METRICS, metricsBytes);
            Bundle.moveIntoPlace(staging, folder);
            return metrics;
        } finally {
            Bundle.deleteTree(staging);
        }
    }

    private static void write(Path root, String relative, byte[] bytes) {
        Path target = root.resolve(relative).normalize();
        if (relative.isEmpty() || Path.of(relative).isAbsolute() || !target.startsWith(root) || target.equals(root)) {
            throw new DataFormatException(root.resolve(relative), -1, "a trial file path must stay inside the "
                    + "trial folder, got '" + relative + "'");
        }
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, bytes);
        } catch (IOException e) {
            throw new ModelbenchException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
