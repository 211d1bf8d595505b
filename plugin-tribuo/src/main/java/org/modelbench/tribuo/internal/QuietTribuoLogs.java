package org.modelbench.tribuo.internal;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Raises the {@code java.util.logging} level of Tribuo's and OLCUT's loggers to WARNING for the
 * duration of a training call (Tribuo logs one INFO line per ensemble member and per SGD run);
 * progress goes through the platform's listeners instead. Nested and concurrent uses are counted,
 * and the previous levels come back when the last one closes.
 */
final class QuietTribuoLogs implements AutoCloseable {
    private static final String[] ROOTS = {"org.tribuo", "com.oracle.labs.mlrg.olcut"};
    private static final Logger[] LOGGERS = new Logger[ROOTS.length]; // strong references while quiet
    private static final Level[] SAVED = new Level[ROOTS.length];
    private static int depth;

    private QuietTribuoLogs() {
    }

    /** Quiets the loggers until {@link #close()}. */
    static QuietTribuoLogs quiet() {
        synchronized (QuietTribuoLogs.class) {
            if (depth++ == 0) {
                for (int i = 0; i < ROOTS.length; i++) {
                    LOGGERS[i] = Logger.getLogger(ROOTS[i]);
                    SAVED[i] = LOGGERS[i].getLevel();
                    LOGGERS[i].setLevel(Level.WARNING);
                }
            }
        }
        return new QuietTribuoLogs();
    }

    @Override
    public void close() {
        synchronized (QuietTribuoLogs.class) {
            if (--depth == 0) {
                for (int i = 0; i < ROOTS.length; i++) {
                    LOGGERS[i].setLevel(SAVED[i]);
                    LOGGERS[i] = null;
                }
            }
        }
    }
}
