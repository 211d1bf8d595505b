package org.modelbench.data;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number from ASCII bytes to exactly the float {@link Float#parseFloat} gives for
 * the same text, without making a string on the common paths.
 *
 * <p>Accepted: {@code [+-]digits[.digits][(e|E)[+-]digits]} and the forms with digits on one side of
 * the point only ({@code 5.}, {@code .5}). Anything else, and a value that is not finite, is
 * {@code NaN} (the caller decides whether the text was a missing value). Three paths, each exact:
 * <ul>
 *   <li>at most 7 significant digits and a power of ten within 10^±10: the digits and the power
 *       are exact floats, so one IEEE multiplication or division rounds the exact value correctly;</li>
 *   <li>at most 15 significant digits and a power within 10^±22: the same in double (Clinger's
 *       fast path), then rounded to float unless that double lies exactly halfway between two
 *       floats or outside the normal float range (where rounding twice could differ);</li>
 *   <li>everything else: {@link Float#parseFloat} on the text.</li>
 * </ul>
 */
final class DecimalParser {
    private static final float[] FLOAT_POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final double[] DOUBLE_POWERS = new double[23];
    /** The low 29 bits of a double's significand that a float drops, at exactly one half. */
    private static final long HALF = 1L << 28;
    private static final long DROPPED = (1L << 29) - 1;

    static {
        double p = 1;
        for (int i = 0; i < DOUBLE_POWERS.length; i++) {
            DOUBLE_POWERS[i] = p;
            p *= 10;
        }
    }

    private DecimalParser() {
    }

    /** Parses {@code text} (see the class comment); {@code NaN} when it is not a finite decimal. */
    static float parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 127) {
                return Float.NaN;
            }
        }
        return parse(bytes, 0, bytes.length);
    }

    /** Parses {@code bytes[from, to)} (see the class comment); {@code NaN} when it is not a finite decimal. */
    static float parse(byte[] bytes, int from, int to) {
        int i = from;
        if (i == to) {
            return Float.NaN;
        }
        boolean negative = false;
        byte first = bytes[i];
        if (first == '-' || first == '+') {
            negative = first == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int numerals = 0;
        int scale = 0;
        boolean point = false;
        for (; i < to; i++) {
            int c = bytes[i] - '0';
            if (c >= 0 && c <= 9) {
                numerals++;
                if (mantissa != 0 || c != 0) {
                    if (significant < 18) {
                        mantissa = mantissa * 10 + c;
                        if (point) {
                            scale--;
                        }
                    } else if (!point) {
                        scale++;
                    }
                    significant++;
                } else if (point) {
                    scale--;
                }
            } else if (bytes[i] == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (numerals == 0) {
            return Float.NaN;
        }
        if (i < to) {
            if (bytes[i] != 'e' && bytes[i] != 'E') {
                return Float.NaN;
            }
            int exponent = 0;
            boolean negativeExponent = false;
            i++;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            int exponentDigits = 0;
            for (; i < to; i++) {
                int c = bytes[i] - '0';
                if (c < 0 || c > 9) {
                    return Float.NaN;
                }
                exponentDigits++;
                if (exponent < 100_000) {
                    exponent = exponent * 10 + c;
                }
            }
            if (exponentDigits == 0) {
                return Float.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        float value;
        if (mantissa == 0) {
            value = 0f;
        } else if (significant <= 7 && scale >= -10 && scale <= 10) {
            value = scale >= 0 ? mantissa * FLOAT_POWERS[scale] : mantissa / FLOAT_POWERS[-scale];
        } else if (significant <= 15 && scale >= -22 && scale <= 22) {
            double d = scale >= 0 ? mantissa * DOUBLE_POWERS[scale] : mantissa / DOUBLE_POWERS[-scale];
            long bits = Double.doubleToRawLongBits(d);
            if ((bits & DROPPED) == HALF || d < Float.MIN_NORMAL || d >= Float.MAX_VALUE) {
                return slow(bytes, from, to);
            }
            value = (float) d;
        } else {
            return slow(bytes, from, to);
        }
        return negative ? -value : value;
    }

    private static float slow(byte[] bytes, int from, int to) {
        float value = Float.parseFloat(new String(bytes, from, to - from, StandardCharsets.ISO_8859_1));
        return Float.isFinite(value) ? value : Float.NaN;
    }
}
