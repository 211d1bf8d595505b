package org.modelbench.engine.internal;

import org.modelbench.api.Dataset;
import org.modelbench.api.DatasetSplits;
import org.modelbench.api.Tensor;
import org.modelbench.data.DataCache;
import org.modelbench.data.MnistProvider;

/** Small, rescaled MNIST subsets for tests, loaded once. */
final class MnistSubsets {
    private static DatasetSplits splits;

    private MnistSubsets() {
    }

    static synchronized DatasetSplits all() {
        if (splits == null) {
            splits = new MnistProvider().load(DataCache.defaultDirectory(), s -> { });
        }
        return splits;
    }

    /** The first {@code n} training rows, pixels divided by 255. */
    static Dataset train(int n) {
        return rescaled(all().train().slice(0, n));
    }

    /** The first {@code n} test rows, pixels divided by 255. */
    static Dataset test(int n) {
        return rescaled(all().test().slice(0, n));
    }

    static Dataset rescaled(Dataset d) {
        float[] x = d.features().data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] /= 255f;
        }
        return d.withFeatures(Tensor.of(d.features().shape(), x));
    }
}
