package org.modelbench.api.provenance;

/**
 * The one rule for values that differ between two identical runs (wall-clock facts), and so are kept
 * out of saved model files and out of every comparison of results ({@code modelbench reproduce},
 * resumed runs, executors): a key is volatile when its last segment is {@code created} or
 * {@code seconds}, or ends in {@code Seconds}, {@code PerSecond} or {@code .millis}. Name a new
 * timing so that the rule covers it, e.g. {@code fitSeconds}, {@code adapter.millis}.
 */
public final class VolatileKeys {
    private VolatileKeys() {
    }

    /** Whether the value at {@code key} (a map key, or a dotted path whose last part is one) is a timing. */
    public static boolean isVolatile(String key) {
        int dot = key.lastIndexOf('.');
        String last = dot < 0 ? key : key.substring(dot + 1);
        return last.equals("created") || last.equals("seconds") || last.endsWith("Seconds")
                || last.endsWith("PerSecond") || last.equals("millis") || key.endsWith(".millis");
    }
}
