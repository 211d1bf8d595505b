package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.ExtraTreesProvider;
import org.modelbench.tribuo.MnistSubsets;
import org.modelbench.tribuo.RandomForestProvider;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.RandomForestConfig;

class FlatForestTest {

    @ParameterizedTest
    @ValueSource(strings = {"random-forest", "extra-trees", "legacy"})
    void predictsExactlyWhatTribuosEnsembleModelPredicts(String kind) throws Exception {
        Dataset train = MnistSubsets.train(500);
        Model trained = switch (kind) {
            case "random-forest" -> new RandomForestProvider().trainer(new RandomForestConfig(7, null, null, null, null), ProviderContext.empty())
                    .train(train, RunContext.of(5));
            case "extra-trees" -> new ExtraTreesProvider().trainer(new ExtraTreesConfig(7, null, null, null, null), ProviderContext.empty())
                    .train(train, RunContext.of(5));
            default -> new RandomForestProvider().load(java.nio.file.Path.of(
                    RandomForestProvider.class.getResource("legacy-random-forest").toURI()), ProviderContext.empty());
        };
        var model = (TribuoClassifier) trained;
        Tensor probe = MnistSubsets.test(1500).features();
        float[] flat = model.predictProbabilities(probe).data();
        float[] tribuo = model.predictWithTribuo(probe).data();
        assertArrayEquals(tribuo, flat);
        // The voters must disagree on many rows, or the vote arithmetic is not exercised.
        int split = 0;
        for (int i = 0; i < 1500; i++) {
            int positive = 0;
            for (int c = 0; c < 10; c++) {
                positive += flat[i * 10 + c] > 0 ? 1 : 0;
            }
            split += positive > 1 ? 1 : 0;
        }
        assertTrue(split > 100, "rows with split votes: " + split);
    }
}
