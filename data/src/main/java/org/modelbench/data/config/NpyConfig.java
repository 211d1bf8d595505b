package org.modelbench.data.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * The {@code params} of the {@code npy} dataset format: NumPy {@code .npy} files, paths relative to the
 * manifest. Features are {@code [N, F]} (tables), {@code [N, C, L]} (sequences) or {@code [N, C, H, W]}
 * (images); labels are {@code [N]} integers (0 to classes - 1).
 *
 * @param features     the training features
 * @param labels       the training labels
 * @param testFeatures the test features; without them, {@code testSplit} of the rows are held out
 * @param testLabels   the test labels (given exactly when {@code testFeatures} is)
 * @param testSplit    the fraction held out without test files, in (0, 0.5]; default 0.2
 * @param classes      the class names, index = label; default {@code "0"} to the largest label
 */
public record NpyConfig(String features, String labels, String testFeatures, String testLabels, Double testSplit,
                        List<String> classes) {
    public NpyConfig {
        if (features == null || labels == null) {
            throw new ConfigException(features == null ? "features" : "labels", "expected the path of a .npy file");
        }
        if ((testFeatures == null) != (testLabels == null)) {
            throw new ConfigException(testFeatures == null ? "testFeatures" : "testLabels",
                    "expected testFeatures and testLabels together");
        }
        testSplit = SplitChecks.check(testSplit, testFeatures != null);
        classes = SplitChecks.check(classes);
    }
}
