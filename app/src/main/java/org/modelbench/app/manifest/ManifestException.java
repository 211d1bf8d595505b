package org.modelbench.app.manifest;

import org.modelbench.api.InvalidInputException;

/**
 * A manifest that cannot be used. The message is one line:
 * {@code file:line:column key.path: what was expected, got what}.
 */
public final class ManifestException extends InvalidInputException {
    private final String keyPath;

    ManifestException(String file, SourceTree.Location location, String keyPath, String expectation) {
        super(file + ":" + location.line() + ":" + location.column() + (keyPath.isEmpty() ? "" : " " + keyPath)
                + ": " + expectation);
        this.keyPath = keyPath;
    }

    /** The key path of the offending value, e.g. {@code models[2].params.trees}; empty for the whole file. */
    public String keyPath() {
        return keyPath;
    }
}
