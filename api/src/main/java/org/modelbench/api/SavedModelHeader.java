package org.modelbench.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The header every saved model directory starts with: {@value #FILE_NAME}, plain {@code key=value}
 * lines naming the family that can read the rest and that family's format version. It lets the
 * application find the right provider for a model directory without trusting anything else in it.
 *
 * @param familyId      the model family id
 * @param formatVersion the family's own file-format version, {@code >= 1}
 */
public record SavedModelHeader(String familyId, int formatVersion) {

    /** The header's file name inside a model directory. */
    public static final String FILE_NAME = "modelbench-model.properties";

    public SavedModelHeader {
        if (familyId == null || !familyId.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("family id must be kebab-case, got " + familyId);
        }
        if (formatVersion < 1) {
            throw new IllegalArgumentException("format version must be >= 1, got " + formatVersion);
        }
    }

    /** Writes the header into {@code directory} atomically (creating the directory). */
    public void write(Path directory) {
        String text = "family=" + familyId + "\nformat-version=" + formatVersion + "\n";
        AtomicFiles.write(directory.resolve(FILE_NAME), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The file {@code name} of a model directory, to be read: a file that resolves (through symbolic
     * links) to a place outside {@code directory} is refused, so a model folder cannot make a loader
     * read, and print parts of, files elsewhere. A missing file is returned as is, for the caller's
     * "missing" message.
     *
     * @throws DataFormatException naming the file and where it leads
     */
    public static Path file(Path directory, String name) {
        Path file = directory.resolve(name);
        try {
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(file)) {
                Path real = file.toRealPath();
                if (!real.startsWith(directory.toRealPath())) {
                    throw new DataFormatException(file, -1, "is a symbolic link to " + real
                            + ", outside the model directory; model files must stay inside it");
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "is a symbolic link to a missing file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot resolve: " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * Reads the header of a model directory.
     *
     * @throws DataFormatException if it is missing or malformed
     */
    public static SavedModelHeader read(Path directory) {
        Path file = file(directory, FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, -1, "not a modelbench model directory: " + FILE_NAME + " is missing");
        } catch (IOException e) {
            throw new DataFormatException(file, -1, "cannot read: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && eq > 0) {
                values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        String family = values.get("family");
        String version = values.get("format-version");
        if (family == null || version == null) {
            throw new DataFormatException(file, -1, "expected keys 'family' and 'format-version'");
        }
        try {
            return new SavedModelHeader(family, Integer.parseInt(version));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, -1, e.getMessage());
        }
    }

    /** Throws unless this header is for {@code family} at a version in {@code [1, maxVersion]}. */
    public void require(Path directory, String family, int maxVersion) {
        if (!familyId.equals(family)) {
            throw new DataFormatException(directory.resolve(FILE_NAME), -1,
                    "expected a '" + family + "' model, found a '" + familyId + "' model");
        }
        if (formatVersion > maxVersion) {
            throw new DataFormatException(directory.resolve(FILE_NAME), -1, "format version " + formatVersion
                    + " is newer than this build reads (at most " + maxVersion + ")");
        }
    }
}
