package org.modelbench.api;

/**
 * Root of modelbench's unchecked exceptions. Messages name the file, field, layer, node or plugin
 * concerned and say what was expected.
 */
public class ModelbenchException extends RuntimeException {
    public ModelbenchException(String message) {
        super(message);
    }

    public ModelbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
