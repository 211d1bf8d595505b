package org.modelbench.engine.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * A height/width pair such as a kernel size or a stride. Specs may write one integer for both
 * ({@code kernel: 3}) or a two-element list ({@code kernel: [5, 3]}, height first).
 *
 * @param h the height component, {@code >= min}
 * @param w the width component, {@code >= min}
 */
public record IntPair(int h, int w) {

    /**
     * Reads an integer or a {@code [h, w]} list.
     *
     * @param value    what the spec holds ({@code null} gives {@code fallback})
     * @param key      the spec key, for messages
     * @param min      the smallest allowed component
     * @param fallback the value when absent; {@code null} makes the key required
     * @throws ConfigException naming {@code key} when the value is not one or two integers {@code >= min}
     */
    public static IntPair parse(Object value, String key, int min, IntPair fallback) {
        if (value == null) {
            if (fallback == null) {
                throw new ConfigException(key, "missing; expected an integer or [height, width]");
            }
            return fallback;
        }
        if (value instanceof List<?> list) {
            if (list.size() != 2) {
                throw new ConfigException(key, "expected an integer or [height, width], got a list of "
                        + list.size());
            }
            return new IntPair(integer(list.get(0), key, min), integer(list.get(1), key, min));
        }
        int v = integer(value, key, min);
        return new IntPair(v, v);
    }

    static int integer(Object value, String key, int min) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new ConfigException(key, "expected an integer or [height, width], got "
                    + (value instanceof String s ? "\"" + s + "\"" : value));
        }
        int v = n.intValue();
        if (v < min) {
            throw new ConfigException(key, "expected integers >= " + min + ", got " + v);
        }
        return v;
    }

    /** For example {@code 3x3}. */
    @Override
    public String toString() {
        return h + "x" + w;
    }
}
