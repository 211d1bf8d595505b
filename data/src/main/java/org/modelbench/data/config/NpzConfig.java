package org.modelbench.data.config;

import java.util.List;
import org.modelbench.api.ConfigException;

/**
 * The {@code params} of the {@code npz} dataset format: a NumPy {@code .npz} archive (as
 * {@code numpy.savez} or {@code savez_compressed} write), paths relative to the manifest. Shapes as in
 * {@link NpyConfig}.
 *
 * @param train     the archive of training rows (or all rows)
 * @param test      an archive of test rows with the same array names; without it, {@code testSplit} is held out
 * @param features  the name of the features array; default {@code x}
 * @param labels    the name of the labels array; default {@code y}
 * @param testSplit the fraction held out without a test archive, in (0, 0.5]; default 0.2
 * @param classes   the class names, index = label; default {@code "0"} to the largest label
 */
public record NpzConfig(String train, String test, String features, String labels, Double testSplit,
                        List<String> classes) {
    public NpzConfig {
        if (train == null) {
            throw new ConfigException("train", "expected the path of a .npz file");
        }
        features = features == null ? "x" : features;
        labels = labels == null ? "y" : labels;
        testSplit = SplitChecks.check(testSplit, test != null);
        classes = SplitChecks.check(classes);
    }
}
