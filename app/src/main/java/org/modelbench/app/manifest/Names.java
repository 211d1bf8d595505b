package org.modelbench.app.manifest;

import org.modelbench.api.ConfigException;

/** Checks for names that become folder names. */
final class Names {
    private static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private Names() {
    }

    /** {@code value}, or an error naming {@code key} when it is missing or not folder-safe. */
    static String require(String value, String key) {
        if (value == null) {
            throw new ConfigException(key, "missing; expected a name of letters, digits, '.', '_' or '-'");
        }
        if (!value.matches(PATTERN)) {
            throw new ConfigException(key, "expected a name of letters, digits, '.', '_' or '-' (at most 64, "
                    + "not starting with '.', '_' or '-'), got \"" + value + "\"");
        }
        return value;
    }
}
