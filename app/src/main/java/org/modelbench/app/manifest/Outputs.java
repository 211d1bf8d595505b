package org.modelbench.app.manifest;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.modelbench.api.ConfigException;

/**
 * Where the results bundle goes.
 *
 * @param directory the runs folder, relative to the project folder (the working folder) and inside
 *                  it; default {@code runs}. Bundles go to {@code <directory>/<name>/<timestamp>/}
 * @param report    whether to write {@code report.md}, {@code report.html} and the plots; default true
 */
public record Outputs(String directory, Boolean report) {

    public Outputs {
        directory = directory == null ? "runs" : directory;
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new ConfigException("directory", "expected a relative folder path, got \"" + directory + "\"");
        }
        if (directory.isBlank() || path.isAbsolute() || directory.startsWith("/") || directory.startsWith("~")) {
            throw new ConfigException("directory", "expected a relative folder inside the project, got \""
                    + directory + "\"");
        }
        if (path.normalize().startsWith("..") || path.normalize().toString().isEmpty()) {
            throw new ConfigException("directory", "expected a folder inside the project, got \"" + directory
                    + "\" which escapes it");
        }
        report = report == null || report;
    }
}
