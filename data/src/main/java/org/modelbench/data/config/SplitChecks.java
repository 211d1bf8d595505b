package org.modelbench.data.config;

import java.util.HashSet;
import java.util.List;
import org.modelbench.api.ConfigException;

/** Checks shared by the formats that hold out test rows and may name their classes. */
final class SplitChecks {
    private SplitChecks() {
    }

    /** The held-out fraction: absent when a test file is given, else in (0, 0.5], default 0.2. */
    static Double check(Double testSplit, boolean hasTest) {
        if (testSplit != null && hasTest) {
            throw new ConfigException("testSplit", "expected either test files or testSplit (a fraction), got both");
        }
        double value = testSplit == null ? 0.2 : testSplit;
        if (!(value > 0 && value <= 0.5)) {
            throw new ConfigException("testSplit", "expected a fraction in (0, 0.5], got " + testSplit);
        }
        return value;
    }

    /** Class names: none, or at least two distinct ones. */
    static List<String> check(List<String> classes) {
        if (classes != null && (classes.size() < 2 || new HashSet<>(classes).size() != classes.size())) {
            throw new ConfigException("classes", "expected at least two distinct class names, got " + classes);
        }
        return classes == null ? null : List.copyOf(classes);
    }
}
