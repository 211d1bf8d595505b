package org.modelbench.tribuo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingEvent;
import org.modelbench.tribuo.config.RandomForestConfig;

class RandomForestProviderTest {
    private static final RandomForestProvider PROVIDER = new RandomForestProvider();
    private static Dataset train;
    private static Dataset test;
    private static Model forest;
    private static final List<TrainingEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void trainOnce() {
        train = MnistSubsets.train(3000);
        test = MnistSubsets.test(1000);
        RunContext context = new RunContext(7, 2, List.of(EVENTS::add), Path.of(System.getProperty("java.io.tmpdir")));
        forest = PROVIDER.trainer(new RandomForestConfig(25, null, null, null, null))
                .train(train, Optional.of(test.slice(0, 200)), context);
    }

    @Test
    void learnsMnistFromASubset() {
        Evaluation evaluation = Evaluation.of(forest, test, 500);
        // 25 trees on 3,000 rows: well above chance (0.1); a broken adapter or label mapping lands near it.
        assertTrue(evaluation.accuracy() > 0.88, "accuracy " + evaluation.accuracy());
        assertTrue(forest.parameterCount() > 25 * 100, "nodes " + forest.parameterCount());
    }

    @Test
    void probabilitiesAreVotingProportionsInClassOrder() {
        Tensor p = forest.predictProbabilities(test.features().slice(0, 50));
        assertEquals(50, p.shape().dim(0));
        assertEquals(10, p.shape().dim(1));
        for (int i = 0; i < 50; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                float v = p.get(i, c);
                sum += v;
                // 25 voters: every proportion is a multiple of 1/25.
                assertEquals(Math.round(v * 25) / 25.0, v, 1e-6);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void reportsOneBatchPerTree() {
        assertInstanceOf(TrainingEvent.Started.class, EVENTS.get(0));
        assertEquals(new TrainingEvent.Started(1, 25, 3000), EVENTS.get(0));
        for (int tree = 1; tree <= 25; tree++) {
            var batch = (TrainingEvent.BatchFinished) EVENTS.get(tree);
            assertEquals(tree, batch.batch());
            assertEquals(25, batch.batches());
        }
        var epoch = (TrainingEvent.EpochFinished) EVENTS.get(26);
        assertTrue(epoch.validationAccuracy() > 0.8, "validation accuracy " + epoch.validationAccuracy());
        assertInstanceOf(TrainingEvent.Finished.class, EVENTS.get(27));
        assertEquals(28, EVENTS.size());
    }

    @Test
    void sameSeedGivesIdenticalPredictionsAndAnotherSeedDoesNot() {
        Dataset small = MnistSubsets.train(800);
        Tensor probe = test.features().slice(0, 300);
        var trainer = PROVIDER.trainer(new RandomForestConfig(8, null, null, null, null));
        Tensor a = trainer.train(small, RunContext.of(11)).predictProbabilities(probe);
        Tensor b = trainer.train(small, RunContext.of(11)).predictProbabilities(probe);
        Tensor c = trainer.train(small, RunContext.of(12)).predictProbabilities(probe);
        assertEquals(a, b);
        assertFalse(a.equals(c));
        // A seed in the config overrides the run's seed.
        var seeded = PROVIDER.trainer(new RandomForestConfig(8, null, null, null, 11L));
        assertEquals(seeded.train(small, RunContext.of(1)).predictProbabilities(probe),
                seeded.train(small, RunContext.of(2)).predictProbabilities(probe));
    }

    @Test
    void saveAndReloadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        forest.save(dir);
        Model loaded = PROVIDER.load(dir);
        Tensor probe = test.features().slice(0, 400);
        assertEquals(forest.predictProbabilities(probe), loaded.predictProbabilities(probe));
        assertArrayEquals(forest.predict(probe), loaded.predict(probe));
        assertEquals(forest.classNames(), loaded.classNames());
        assertEquals(forest.sampleShape(), loaded.sampleShape());
        assertEquals(forest.parameterCount(), loaded.parameterCount());
        assertEquals(forest.provenance().config(), loaded.provenance().config());
        assertEquals(forest.provenance().seed(), loaded.provenance().seed());
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("tribuo-model.pb.gz")));
    }

    @Test
    void keepsTribuoProvenanceAsJson() {
        String json = forest.provenance().details().get("tribuo.provenance");
        assertTrue(json.startsWith("["), json.substring(0, Math.min(80, json.length())));
        assertTrue(json.contains("org.tribuo.common.tree.RandomForestTrainer"), "names the trainer");
        assertTrue(json.contains("org.tribuo.classification.dtree.CARTClassificationTrainer"), "names the tree trainer");
        assertEquals(RandomForestConfig.defaults().maxDepth(), ((RandomForestConfig) forest.provenance().config()).maxDepth());
        assertEquals("tribuo-random-forest", forest.provenance().familyId());
    }
}
