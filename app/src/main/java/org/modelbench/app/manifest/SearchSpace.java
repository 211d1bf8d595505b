package org.modelbench.app.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.modelbench.api.ConfigException;

/**
 * The candidates of a model entry's {@link SearchSpec search}: its raw {@code params} with every
 * distribution ({@code {grid: [..]}}, {@code {choice: [..]}}, {@code {uniform: [a, b]}},
 * {@code {loguniform: [a, b]}}, at any depth) as a {@link Dimension}. Candidate {@code c} is computed
 * on its own (mixed-radix digits of {@code c} for a grid, a generator seeded with the search seed and
 * {@code c} for random draws), so a large search is never materialized and every machine draws the
 * same candidates.
 *
 * <p>Random draws: {@code uniform} and {@code loguniform} with two integer bounds draw integers (both
 * bounds included), else doubles; {@code grid} and {@code choice} pick one of their values. A grid
 * search takes the product of its grid and choice values, the last key varying fastest.
 */
public final class SearchSpace {
    /** What a distribution draws from. */
    public enum Kind {
        GRID, CHOICE, UNIFORM, LOGUNIFORM;

        /** The manifest key, e.g. {@code loguniform}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key().equals(key)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * One searched key.
     *
     * @param key    its path inside {@code params}, e.g. {@code optimizer.learningRate} or {@code hidden[0]}
     * @param kind   what it draws from
     * @param values the options (grid, choice) or the bounds {@code [a, b]} (uniform, loguniform)
     */
    public record Dimension(String key, Kind kind, List<Object> values) {
        public Dimension {
            values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
        }

        boolean discrete() {
            return kind == Kind.GRID || kind == Kind.CHOICE;
        }
    }

    private final Map<String, Object> params;
    private final List<Dimension> dimensions;
    private final SearchSpec spec;
    private final long seed;
    private final int size;

    private SearchSpace(Map<String, Object> params, List<Dimension> dimensions, SearchSpec spec, long seed, int size) {
        this.params = params;
        this.dimensions = List.copyOf(dimensions);
        this.spec = spec;
        this.seed = seed;
        this.size = size;
    }

    /**
     * The search space of a model entry.
     *
     * @param params  the entry's raw params
     * @param spec    its search
     * @param modelId its id (the random seed derives from it when {@code search.seed} is not given)
     * @throws ConfigException naming the key path inside {@code params} (or {@code search}) and what was expected
     */
    public static SearchSpace of(Map<String, Object> params, SearchSpec spec, String modelId) {
        List<Dimension> dimensions = new ArrayList<>();
        collect(params, "", dimensions);
        if (dimensions.isEmpty()) {
            throw new ConfigException("search", "no key of params to search; expected at least one value written as "
                    + "{grid: [..]}, {choice: [..]}, {uniform: [a, b]} or {loguniform: [a, b]}");
        }
        long size = 1;
        if (spec.strategy() == SearchSpec.Strategy.GRID) {
            for (Dimension d : dimensions) {
                if (!d.discrete()) {
                    throw new ConfigException("params." + d.key(), d.kind().key() + " draws at random; expected grid "
                            + "or choice values with search.strategy grid (or strategy random)");
                }
                size *= d.values().size();
                if (size > SearchSpec.MAX_CANDIDATES) {
                    throw new ConfigException("search", "the grid has more than " + SearchSpec.MAX_CANDIDATES
                            + " combinations; expected fewer (or strategy random with trials)");
                }
            }
        } else {
            size = spec.trials();
        }
        long seed = spec.seed() != null ? spec.seed() : mix(modelId.hashCode() * 0x9E3779B97F4A7C15L + 0x5EA4C4L);
        return new SearchSpace(params, dimensions, spec, seed, (int) size);
    }

    /** Whether {@code tree} holds a distribution anywhere; {@code null} if not, else the first one's key path. */
    public static String firstDistribution(Object tree) {
        List<Dimension> found = new ArrayList<>();
        try {
            collect(tree, "", found);
        } catch (ConfigException e) {
            return e.key();
        }
        return found.isEmpty() ? null : found.get(0).key();
    }

    /** The number of candidates. */
    public int size() {
        return size;
    }

    /** The searched keys, in the order of the manifest. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** The search as written. */
    public SearchSpec spec() {
        return spec;
    }

    /** The seed of the random draws (given or derived). */
    public long seed() {
        return seed;
    }

    /** The raw params of candidate {@code c}: the entry's params with each distribution replaced by its value. */
    public Map<String, Object> candidate(int c) {
        return substitute(params, values(c));
    }

    /** The searched values of candidate {@code c}, by key path (e.g. {@code optimizer.learningRate: 0.003}). */
    public Map<String, Object> values(int c) {
        if (c < 0 || c >= size) {
            throw new IllegalArgumentException("candidate " + c + ": expected 0 to " + (size - 1));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (spec.strategy() == SearchSpec.Strategy.GRID) {
            int rest = c;
            Object[] picked = new Object[dimensions.size()];
            for (int i = dimensions.size() - 1; i >= 0; i--) {
                List<Object> options = dimensions.get(i).values();
                picked[i] = options.get(rest % options.size());
                rest /= options.size();
            }
            for (int i = 0; i < picked.length; i++) {
                out.put(dimensions.get(i).key(), picked[i]);
            }
            return out;
        }
        SplittableRandom random = new SplittableRandom(mix(seed + (c + 1L) * 0xBF58476D1CE4E5B9L));
        for (Dimension d : dimensions) {
            out.put(d.key(), draw(d, random));
        }
        return out;
    }

    /**
     * The raw params of the default configuration: every distribution of a mapping key dropped (so the
     * family's default applies), one in a list replaced by its first option or lower bound.
     */
    public Map<String, Object> defaults() {
        return substitute(params, null);
    }

    /**
     * The raw params with one key at one value and every other distribution as in {@link #defaults()}: to
     * check each option against the family once, without expanding a grid.
     */
    public Map<String, Object> withOne(String key, Object value) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(key, value);
        return substitute(params, values);
    }

    private static Object draw(Dimension d, SplittableRandom random) {
        List<Object> v = d.values();
        if (d.discrete()) {
            return v.get(random.nextInt(v.size()));
        }
        Number a = (Number) v.get(0);
        Number b = (Number) v.get(1);
        boolean integers = integral(a) && integral(b);
        double u = random.nextDouble();
        if (d.kind() == Kind.UNIFORM) {
            if (integers) {
                return a.longValue() + (long) Math.floor(u * (b.longValue() - a.longValue() + 1));
            }
            return a.doubleValue() + (b.doubleValue() - a.doubleValue()) * u;
        }
        double la = StrictMath.log(a.doubleValue());
        double lb = StrictMath.log(b.doubleValue());
        double x = StrictMath.exp(la + (lb - la) * u);
        if (integers) {
            return Math.max(a.longValue(), Math.min(b.longValue(), Math.round(x)));
        }
        return Math.max(a.doubleValue(), Math.min(b.doubleValue(), x));
    }

    private static boolean integral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof java.math.BigInteger;
    }

    /** The distribution kind of {@code node}, or {@code null} when it is a plain value. */
    private static Kind kindOf(Object node, String key) {
        if (!(node instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Kind kind = null;
        for (Object k : map.keySet()) {
            Kind found = Kind.of(String.valueOf(k));
            if (found != null) {
                kind = found;
            }
        }
        if (kind != null && map.size() > 1) {
            throw new ConfigException("params." + key, "a search value has exactly one key (grid, choice, uniform or "
                    + "loguniform); got " + map.keySet());
        }
        return kind;
    }

    private static void collect(Object node, String key, List<Dimension> out) {
        Kind kind = kindOf(node, key);
        if (kind != null) {
            out.add(dimension(kind, ((Map<?, ?>) node).get(kind.key()), key));
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collect(v, key.isEmpty() ? String.valueOf(k) : key + "." + k, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collect(list.get(i), key + "[" + i + "]", out);
            }
        }
    }

    private static Dimension dimension(Kind kind, Object values, String key) {
        String where = "params." + key + "." + kind.key();
        if (!(values instanceof List<?> list)) {
            throw new ConfigException(where, "expected a list, got " + (values instanceof Map ? "a mapping" : values));
        }
        if (kind == Kind.GRID || kind == Kind.CHOICE) {
            if (list.isEmpty()) {
                throw new ConfigException(where, "expected a non-empty list of values, got an empty list");
            }
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    throw new ConfigException(where + "[" + i + "]", "expected a value, got nothing (null)");
                }
            }
            return new Dimension(key, kind, new ArrayList<>(list));
        }
        if (list.size() != 2 || !(list.get(0) instanceof Number a) || !(list.get(1) instanceof Number b)
                || !Double.isFinite(a.doubleValue()) || !Double.isFinite(b.doubleValue())) {
            throw new ConfigException(where, "expected two finite numbers [a, b], got " + list);
        }
        if (!(a.doubleValue() < b.doubleValue())) {
            throw new ConfigException(where, "expected [a, b] with a < b, got [" + a + ", " + b + "]");
        }
        if (kind == Kind.LOGUNIFORM && a.doubleValue() <= 0) {
            throw new ConfigException(where, "expected bounds > 0 for a log scale, got [" + a + ", " + b + "]");
        }
        return new Dimension(key, kind, List.of(a, b));
    }

    /**
     * A copy of {@code node} with each distribution replaced: by {@code values.get(key)} when present, else
     * (with {@code values == null} or the key absent) as the defaults have it.
     */
    private static Map<String, Object> substitute(Map<String, Object> node, Map<String, Object> values) {
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) substitute(node, "", values, false);
        return out;
    }

    private static final Object DROPPED = new Object();

    private static Object substitute(Object node, String key, Map<String, Object> values, boolean inList) {
        Kind kind = kindOf(node, key);
        if (kind != null) {
            if (values != null && values.containsKey(key)) {
                return values.get(key);
            }
            return inList ? ((List<?>) ((Map<?, ?>) node).get(kind.key())).get(0) : DROPPED;
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object value = substitute(v, key.isEmpty() ? String.valueOf(k) : key + "." + k, values, false);
                if (value != DROPPED) {
                    out.put(String.valueOf(k), value);
                }
            });
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(substitute(list.get(i), key + "[" + i + "]", values, true));
            }
            return out;
        }
        return node;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
