package org.modelbench.api;

/**
 * A configuration value that fails validation. Thrown from the compact constructors of config
 * records with the field (key) name; the manifest reader adds the file, line, column and key path.
 */
public class ConfigException extends InvalidInputException {
    private final String key;

    /**
     * @param key     the offending key, as written in manifests (e.g. {@code trees})
     * @param message what was expected, e.g. {@code expected an integer >= 1, got 0}
     */
    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }

    /** The bare message, without the key prefix. */
    public String expectation() {
        return getMessage().substring(key.length() + 2);
    }
}
