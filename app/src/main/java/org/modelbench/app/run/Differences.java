package org.modelbench.app.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.modelbench.api.provenance.VolatileKeys;

/** Differences between two JSON-like trees, as flat {@code key.path -> value} rows. */
public final class Differences {
    private Differences() {
    }

    /**
     * One differing value.
     *
     * @param path  the key path, e.g. {@code confusion[3][5]}
     * @param left  the first tree's value (as text; {@code (absent)} when missing)
     * @param right the second tree's value
     */
    public record Row(String path, String left, String right) {
    }

    /** Every difference, skipping keys named in {@code ignored} at any depth. */
    public static List<Row> between(Object left, Object right, Set<String> ignored) {
        return between(left, right, ignored::contains);
    }

    /**
     * Every difference except at volatile keys ({@link VolatileKeys}) and keys named in {@code ignored},
     * at any depth: how results are compared.
     */
    public static List<Row> ofResults(Object left, Object right, Set<String> ignored) {
        return between(left, right, key -> VolatileKeys.isVolatile(key) || ignored.contains(key));
    }

    /** Every difference, skipping map keys for which {@code ignored} holds, at any depth. */
    public static List<Row> between(Object left, Object right, Predicate<String> ignored) {
        Map<String, Object> a = new LinkedHashMap<>();
        Map<String, Object> b = new LinkedHashMap<>();
        flatten("", left, a, ignored);
        flatten("", right, b, ignored);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            Object x = a.get(key);
            Object y = b.get(key);
            if (!a.containsKey(key) || !b.containsKey(key) || !sameValue(x, y)) {
                rows.add(new Row(key, a.containsKey(key) ? String.valueOf(x) : "(absent)",
                        b.containsKey(key) ? String.valueOf(y) : "(absent)"));
            }
        }
        return rows;
    }

    /** The first difference, as text, for messages. */
    public static String first(Object left, Object right) {
        List<Row> rows = between(left, right, Set.of());
        if (rows.isEmpty()) {
            return "no difference";
        }
        Row r = rows.get(0);
        return (r.path().isEmpty() ? "value" : r.path()) + ": " + r.left() + " vs " + r.right();
    }

    private static boolean sameValue(Object x, Object y) {
        if (x instanceof Number n && y instanceof Number m) {
            return Double.compare(n.doubleValue(), m.doubleValue()) == 0;
        }
        return Objects.equals(x, y);
    }

    private static void flatten(String path, Object value, Map<String, Object> out, Predicate<String> ignored) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (!ignored.test(String.valueOf(k))) {
                    flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out, ignored);
                }
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(path + "[" + i + "]", list.get(i), out, ignored);
            }
            if (list.isEmpty()) {
                out.put(path, "[]");
            }
        } else {
            out.put(path, value);
        }
    }
}
