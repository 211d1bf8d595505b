package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.modelbench.api.spi.ProviderContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelbench.api.Dataset;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.tribuo.CartProvider;
import org.modelbench.tribuo.ExtraTreesProvider;
import org.modelbench.tribuo.MnistSubsets;
import org.modelbench.tribuo.RandomForestProvider;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.RandomForestConfig;
import org.modelbench.tribuo.config.Splitter;

/** The fast protobuf writer gives exactly Tribuo's own bytes. */
class TreeProtosTest {

    @ParameterizedTest
    @ValueSource(strings = {"forest", "exact-forest", "extra-trees", "cart", "exact-cart", "legacy"})
    void writesTheBytesTribuoWrites(String kind) throws Exception {
        Dataset train = MnistSubsets.train(400);
        RunContext run = RunContext.of(3);
        Model model = switch (kind) {
            case "forest" -> new RandomForestProvider().trainer(new RandomForestConfig(4, null, null, null, null), ProviderContext.empty()).train(train, run);
            case "exact-forest" -> new RandomForestProvider().trainer(new RandomForestConfig(4, null, null, null, null,
                    Splitter.EXACT), ProviderContext.empty()).train(train, run);
            case "extra-trees" -> new ExtraTreesProvider().trainer(new ExtraTreesConfig(4, 8, null, null, null), ProviderContext.empty()).train(train, run);
            case "cart" -> new CartProvider().trainer(new CartConfig(null, null, null, null), ProviderContext.empty()).train(train, run);
            case "exact-cart" -> new CartProvider().trainer(new CartConfig(null, null, null, null, Splitter.EXACT), ProviderContext.empty())
                    .train(train, run);
            default -> new RandomForestProvider().load(Path.of(RandomForestProvider.class.getResource("legacy-random-forest").toURI()), ProviderContext.empty());
        };
        var tribuo = ((TribuoClassifier) model).tribuoModel();
        byte[] expected = tribuo.serialize().toByteArray();
        assertTrue(expected.length > 10_000, "size " + expected.length);
        assertArrayEquals(expected, TreeProtos.serialize(tribuo).toByteArray());
    }
}
