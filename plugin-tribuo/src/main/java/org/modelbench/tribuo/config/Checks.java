package org.modelbench.tribuo.config;

import org.modelbench.api.ConfigException;

/** Default-filling validators shared by the config records; each names the key it checks. */
final class Checks {
    private Checks() {
    }

    /** {@code value}, or {@code fallback} when null; must be {@code >= min}. */
    static int atLeast(String key, Integer value, int fallback, int min) {
        int v = value == null ? fallback : value;
        if (v < min) {
            throw new ConfigException(key, "expected an integer >= " + min + ", got " + v);
        }
        return v;
    }

    /** A maximum tree depth: {@code 0} (the default) means unlimited, negative values are refused. */
    static int depth(String key, Integer value) {
        int v = value == null ? 0 : value;
        if (v < 0) {
            throw new ConfigException(key, "expected an integer >= 0 (0 = unlimited), got " + v);
        }
        return v;
    }

    /** A fraction in {@code (0, 1]}. */
    static double fraction(String key, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0 && v <= 1)) {
            throw new ConfigException(key, "expected a number in (0, 1], got " + v);
        }
        return v;
    }

    /** A finite number {@code > 0}. */
    static double positive(String key, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigException(key, "expected a finite number > 0, got " + v);
        }
        return v;
    }
}
