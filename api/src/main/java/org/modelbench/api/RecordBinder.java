package org.modelbench.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds plain configuration trees (maps, lists, strings, numbers, booleans, as a JSON or YAML
 * parser yields them) to config records, and turns records back into such trees.
 *
 * <p>This is the one binding mechanism of the platform: manifests, layer specs and plugin params
 * all go through it, so every error has the same form: the key path and what was expected, e.g.
 * {@code models[2].params.trees: expected an integer, got "many"}. Keys are the record's component
 * names. Unknown keys are errors. A missing key binds to {@code null} (the record's compact
 * constructor then fills its default) or, for a primitive component, is an error. A
 * {@link ConfigException} thrown by a compact constructor is re-thrown with the full key path.
 *
 * <p>Supported component types: {@code int}, {@code long}, {@code float}, {@code double},
 * {@code boolean} and their boxes, {@link String}, enums (by name, case-insensitive, {@code -} read as
 * {@code _}), {@code List<T>} of any supported type, {@code Map<String, Object>} (kept raw), and nested
 * records.
 *
 * <p>Records in a named module must be in a package the module {@code opens} to
 * {@code org.modelbench.api} (or exports).
 */
public final class RecordBinder {
    private RecordBinder() {
    }

    /**
     * Binds {@code tree} to a new {@code type}.
     *
     * @param tree the value, normally a {@code Map<String, ?>}; {@code null} binds like an empty map
     * @param path the key path of {@code tree} for messages (e.g. {@code models[0].params}), or empty
     * @throws ConfigException naming the key path and what was expected
     */
    public static <R extends Record> R bind(Object tree, Class<R> type, String path) {
        return type.cast(convert(tree == null ? Map.of() : tree, type, path));
    }

    /** A record as a tree of maps, lists and scalars (enums as lower-case kebab names), keys in order. */
    public static Map<String, Object> toTree(Record record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                out.put(c.getName(), treeValue(c.getAccessor().invoke(record)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read " + record.getClass().getName() + "." + c.getName()
                        + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Object treeValue(Object value) {
        if (value instanceof Record r) {
            return toTree(r);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RecordBinder::treeValue).collect(Collectors.toList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), treeValue(v)));
            return out;
        }
        return value;
    }

    private static Object convert(Object value, Type type, String path) {
        Class<?> raw = rawClass(type);
        if (value == null) {
            if (raw.isPrimitive()) {
                throw new ConfigException(path, "missing; expected " + describe(raw));
            }
            return null;
        }
        if (raw == int.class || raw == Integer.class) {
            long v = integral(value, path);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ConfigException(path, "expected an integer that fits 32 bits, got " + value);
            }
            return (int) v;
        }
        if (raw == long.class || raw == Long.class) {
            return integral(value, path);
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
            if (!(value instanceof Number n)) {
                throw new ConfigException(path, "expected a number, got " + show(value));
            }
            return raw == float.class || raw == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (!(value instanceof Boolean)) {
                throw new ConfigException(path, "expected true or false, got " + show(value));
            }
            return value;
        }
        if (raw == String.class) {
            if (value instanceof Map || value instanceof List) {
                throw new ConfigException(path, "expected a string, got " + show(value));
            }
            return String.valueOf(value);
        }
        if (raw.isEnum()) {
            String name = String.valueOf(value).trim().replace('-', '_');
            for (Object constant : raw.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(name)) {
                    return constant;
                }
            }
            throw new ConfigException(path, "expected one of " + Arrays.stream(raw.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", ")) + ", got " + show(value));
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!(value instanceof List<?> list)) {
                throw new ConfigException(path, "expected a list, got " + show(value));
            }
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Object item = convert(list.get(i), element, path + "[" + i + "]");
                if (item == null) {
                    // e.g. "[9, &a, 3]" in YAML: an element without a value (found by fuzzing)
                    throw new ConfigException(path + "[" + i + "]", "expected a value, got nothing (null)");
                }
                out.add(item);
            }
            return List.copyOf(out);
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(value instanceof Map<?, ?> map)) {
                throw new ConfigException(path, "expected a mapping of keys to values, got " + show(value));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }
        if (raw.isRecord()) {
            return bindRecord(value, raw, path);
        }
        if (raw == Object.class) {
            return value;
        }
        throw new IllegalStateException("unsupported config type " + type + " at " + path);
    }

    private static Object bindRecord(Object value, Class<?> type, String path) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new ConfigException(path, "expected a mapping with keys " + keys(type) + ", got " + show(value));
        }
        RecordComponent[] components = type.getRecordComponents();
        for (Object key : map.keySet()) {
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(String.valueOf(key)))) {
                throw new ConfigException(join(path, String.valueOf(key)), "unknown key; expected one of "
                        + keys(type));
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            args[i] = convert(map.get(c.getName()), c.getGenericType(), join(path, c.getName()));
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                throw new ConfigException(join(path, ce.key()), ce.expectation());
            }
            if (cause instanceof IllegalArgumentException || cause instanceof InvalidInputException) {
                throw new ConfigException(path.isEmpty() ? type.getSimpleName() : path, cause.getMessage());
            }
            throw new IllegalStateException("constructing " + type.getName() + " failed: " + cause, cause);
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new IllegalStateException("cannot construct config record " + type.getName()
                    + " (is its package opened to org.modelbench.api?): " + e, e);
        }
    }

    private static long integral(Object value, String path) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof java.math.BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) {
            return n.longValue();
        }
        throw new ConfigException(path, "expected an integer, got " + show(value));
    }

    private static String keys(Class<?> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.joining(", "));
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String show(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }

    private static String describe(Class<?> raw) {
        if (raw == boolean.class) {
            return "true or false";
        }
        return raw == int.class || raw == long.class ? "an integer" : "a number";
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}
