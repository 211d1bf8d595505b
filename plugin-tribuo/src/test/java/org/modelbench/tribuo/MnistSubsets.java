package org.modelbench.tribuo;

import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.data.DataCache;
import org.modelbench.data.MnistProvider;

/** Real MNIST (raw pixels 0..255), loaded once per test JVM, and fixed subsets of it. */
public final class MnistSubsets {
    private static DatasetSplits splits;

    private MnistSubsets() {
    }

    /** Both full splits. */
    public static synchronized DatasetSplits full() {
        if (splits == null) {
            splits = new MnistProvider().load(DataCache.defaultDirectory(), line -> { });
        }
        return splits;
    }

    /** The first {@code n} training rows. */
    public static Dataset train(int n) {
        return full().train().slice(0, n);
    }

    /** The first {@code n} test rows. */
    public static Dataset test(int n) {
        return full().test().slice(0, n);
    }
}
