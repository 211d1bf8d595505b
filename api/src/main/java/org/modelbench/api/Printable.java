package org.modelbench.api;

/**
 * Text from a file made safe to print: names read from model files, manifests or images reach the
 * terminal only through here, so a name cannot move the cursor, recolour the screen or flood it.
 *
 * <p>Control characters (C0, DEL, C1) and bidirectional overrides become {@code \}{@code uXXXX}
 * escapes (ESC shows as {@code \}{@code u001b}); text longer than {@value #MAX_LENGTH} characters is
 * cut and says how long it was.
 */
public final class Printable {
    /** The most characters of one name printed. */
    public static final int MAX_LENGTH = 200;

    private Printable() {
    }

    /** {@code text} escaped and cut to {@value #MAX_LENGTH} characters; {@code "null"} for null. */
    public static String of(String text) {
        return of(text, MAX_LENGTH);
    }

    /** {@code text} escaped and cut to {@code maxLength} characters; {@code "null"} for null. */
    public static String of(String text, int maxLength) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), maxLength);
        StringBuilder sb = null;
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(shown + 16).append(text, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        String out = sb != null ? sb.toString() : text.substring(0, shown);
        return shown < text.length() ? out + "... (" + text.length() + " characters)" : out;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
