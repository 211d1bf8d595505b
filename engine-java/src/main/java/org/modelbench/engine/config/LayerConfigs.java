package org.modelbench.engine.config;

import org.modelbench.api.ConfigException;

/** Validation helpers shared by the config records. */
final class LayerConfigs {
    private LayerConfigs() {
    }

    static float nonNegative(Float value, String key, float fallback) {
        float v = value == null ? fallback : value;
        if (!(v >= 0) || Float.isInfinite(v)) {
            throw new ConfigException(key, "expected a finite number >= 0, got " + v);
        }
        return v;
    }

    static float positive(Float value, String key, float fallback) {
        float v = value == null ? fallback : value;
        if (!(v > 0) || Float.isInfinite(v)) {
            throw new ConfigException(key, "expected a finite number > 0, got " + v);
        }
        return v;
    }

    static int atLeast(Integer value, String key, int min, Integer fallback) {
        if (value == null) {
            if (fallback == null) {
                throw new ConfigException(key, "missing; expected an integer >= " + min);
            }
            return fallback;
        }
        if (value < min) {
            throw new ConfigException(key, "expected an integer >= " + min + ", got " + value);
        }
        return value;
    }

    /** Channel groups {@code >= 1} (default 1) that divide {@code filters}. */
    static int groups(Integer groups, int filters) {
        int g = atLeast(groups, "groups", 1, 1);
        if (filters % g != 0) {
            throw new ConfigException("groups", "filters (" + filters + ") must be divisible by groups (" + g + ")");
        }
        return g;
    }

    static float fraction(Float value, String key, float fallback) {
        float v = value == null ? fallback : value;
        if (!(v >= 0 && v < 1)) {
            throw new ConfigException(key, "expected a number in [0, 1), got " + v);
        }
        return v;
    }
}
