package org.modelbench.engine.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * How a convolution or pooling window is padded: {@code valid} (no padding), {@code same} (the
 * TensorFlow rule: output size {@code ceil(in / stride)}, any odd padding cell goes to the bottom
 * or right), or explicit zero padding in cells. Specs write {@code valid}, {@code same}, one
 * integer (all sides), {@code [h, w]} (top = bottom = h, left = right = w) or
 * {@code [top, bottom, left, right]}.
 *
 * @param mode   valid, same or explicit
 * @param top    explicit cells above (0 unless explicit)
 * @param bottom explicit cells below
 * @param left   explicit cells left
 * @param right  explicit cells right
 */
public record Padding(Mode mode, int top, int bottom, int left, int right) {

    /** Padding modes. */
    public enum Mode { VALID, SAME, EXPLICIT }

    /** No padding. */
    public static final Padding VALID = new Padding(Mode.VALID, 0, 0, 0, 0);
    /** TensorFlow's {@code same}. */
    public static final Padding SAME = new Padding(Mode.SAME, 0, 0, 0, 0);

    /** Explicit padding. */
    public static Padding explicit(int top, int bottom, int left, int right) {
        return new Padding(Mode.EXPLICIT, top, bottom, left, right);
    }

    /**
     * Reads a padding spec; {@code null} is {@code valid}.
     *
     * @throws ConfigException naming {@code key} for anything else
     */
    public static Padding parse(Object value, String key) {
        if (value == null || value instanceof Padding || value instanceof String) {
            return named(value, key, "valid, same, an integer, [h, w] or [top, bottom, left, right]");
        }
        if (value instanceof List<?> list) {
            if (list.size() == 2) {
                int h = IntPair.integer(list.get(0), key, 0);
                int w = IntPair.integer(list.get(1), key, 0);
                return explicit(h, h, w, w);
            }
            if (list.size() == 4) {
                return explicit(IntPair.integer(list.get(0), key, 0), IntPair.integer(list.get(1), key, 0),
                        IntPair.integer(list.get(2), key, 0), IntPair.integer(list.get(3), key, 0));
            }
            throw new ConfigException(key, "expected [h, w] or [top, bottom, left, right], got a list of "
                    + list.size());
        }
        int p = IntPair.integer(value, key, 0);
        return explicit(p, p, p, p);
    }

    /**
     * Reads the padding spec of a 1-d window (along a sequence's length): {@code valid} ({@code null}),
     * {@code same}, one integer (both sides) or {@code [left, right]}; explicit cells land in
     * {@link #left()} and {@link #right()}.
     *
     * @throws ConfigException naming {@code key} for anything else
     */
    public static Padding parseSequence(Object value, String key) {
        if (value == null || value instanceof Padding || value instanceof String) {
            return named(value, key, "valid, same, an integer or [left, right]");
        }
        if (value instanceof List<?> list) {
            if (list.size() != 2) {
                throw new ConfigException(key, "expected [left, right], got a list of " + list.size());
            }
            return explicit(0, 0, IntPair.integer(list.get(0), key, 0), IntPair.integer(list.get(1), key, 0));
        }
        int p = IntPair.integer(value, key, 0);
        return explicit(0, 0, p, p);
    }

    /** {@code null} (valid), a padding, or the name {@code valid} or {@code same}. */
    private static Padding named(Object value, String key, String expected) {
        if (value == null || value instanceof Padding) {
            return value == null ? VALID : (Padding) value;
        }
        String s = (String) value;
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "valid" -> VALID;
            case "same" -> SAME;
            default -> throw new ConfigException(key, "expected " + expected + ", got \"" + s + "\"");
        };
    }

    /** The 1-d spec form: {@code valid}, {@code same} or {@code [left, right]}. */
    public Object toSequenceSpec() {
        return switch (mode) {
            case VALID -> "valid";
            case SAME -> "same";
            case EXPLICIT -> List.of(left, right);
        };
    }

    /** The spec form: {@code valid}, {@code same} or {@code [top, bottom, left, right]}. */
    public Object toSpec() {
        return switch (mode) {
            case VALID -> "valid";
            case SAME -> "same";
            case EXPLICIT -> List.of(top, bottom, left, right);
        };
    }
}
