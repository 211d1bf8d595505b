package org.modelbench.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.spi.ModelFamilyProvider;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.RandomForestConfig;

/**
 * Backward compatibility: forests saved by the plugin before the histogram tree builder (5 trees on
 * the first 300 MNIST training rows, seed 3; extra trees with maxDepth 10), kept in test resources
 * with the probabilities they gave for the first 100 MNIST test rows, still load and predict exactly
 * the same.
 */
class LegacyModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"random-forest", "extra-trees"})
    void savedForestFromBeforeStillLoadsAndPredictsTheSame(String family) throws Exception {
        ModelFamilyProvider<?> provider = family.equals("random-forest") ? new RandomForestProvider() : new ExtraTreesProvider();
        Model model = provider.load(resource("legacy-" + family), ProviderContext.empty());
        List<String> expected = Files.readAllLines(resource("legacy-" + family + ".probabilities.txt"));
        Tensor p = model.predictProbabilities(MnistSubsets.test(expected.size()).features());
        for (int i = 0; i < expected.size(); i++) {
            String[] values = expected.get(i).split(" ");
            for (int c = 0; c < values.length; c++) {
                assertEquals(Float.parseFloat(values[c]), p.get(i, c), "row " + i + ", class " + c);
            }
        }
    }

    /**
     * The histogram trees on 2 threads grow the forests the old single-threaded exact CART grew: the
     * same rows, seed and settings give the saved forests' probabilities exactly (pixels have at most
     * 256 values, so every candidate split is exact CART's, and the bagging seeds are Tribuo's).
     */
    @ParameterizedTest
    @ValueSource(strings = {"random-forest", "extra-trees"})
    void retrainingWithTheHistogramTreesGivesTheSameForestAsBefore(String family) throws Exception {
        Model retrained = family.equals("random-forest")
                ? new RandomForestProvider().trainer(new RandomForestConfig(5, null, null, null, null), ProviderContext.empty())
                        .train(MnistSubsets.train(300), new RunContext(3, 2, List.of(), Path.of(System.getProperty("java.io.tmpdir"))))
                : new ExtraTreesProvider().trainer(new ExtraTreesConfig(5, 10, null, null, null), ProviderContext.empty())
                        .train(MnistSubsets.train(300), new RunContext(3, 2, List.of(), Path.of(System.getProperty("java.io.tmpdir"))));
        List<String> expected = Files.readAllLines(resource("legacy-" + family + ".probabilities.txt"));
        Tensor p = retrained.predictProbabilities(MnistSubsets.test(expected.size()).features());
        for (int i = 0; i < expected.size(); i++) {
            String[] values = expected.get(i).split(" ");
            for (int c = 0; c < values.length; c++) {
                assertEquals(Float.parseFloat(values[c]), p.get(i, c), "row " + i + ", class " + c);
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(LegacyModelsTest.class.getResource(name).toURI());
    }
}
