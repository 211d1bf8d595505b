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
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.config.RandomForestConfig;

class RandomForestProviderTest {
    private static final RandomForestProvider PROVIDER = new RandomForestProvider();
    private static Dataset train;
    private static Dataset test;
    private static Model forest;
    private static final List<TrainingEvent> EVENTS = new ArrayList<>();

    @BeforeAll
    static void trainOnce() {
        train = MnistSubsets.train(2500);
        test = MnistSubsets.test(1000);
        RunContext context = new RunContext(7, 2, List.of(EVENTS::add), Path.of(System.getProperty("java.io.tmpdir")));
        forest = PROVIDER.trainer(new RandomForestConfig(20, null, null, null, null), ProviderContext.empty())
                .train(train, Optional.of(test.slice(0, 200)), context);
    }

    @Test
    void learnsMnistFromASubset() {
        Evaluation evaluation = Evaluation.of(forest, test, 500);
        // 20 trees on 2,500 rows: well above chance (0.1); a broken adapter or label mapping lands near it.
        assertTrue(evaluation.accuracy() > 0.85, "accuracy " + evaluation.accuracy());
        assertTrue(forest.parameterCount() > 20 * 100, "nodes " + forest.parameterCount());
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
                // 20 voters: every proportion is a multiple of 1/20.
                assertEquals(Math.round(v * 20) / 20.0, v, 1e-6);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void reportsOneBatchPerTree() {
        assertInstanceOf(TrainingEvent.Started.class, EVENTS.get(0));
        assertEquals(new TrainingEvent.Started(1, 20, 2500), EVENTS.get(0));
        for (int tree = 1; tree <= 20; tree++) {
            var batch = (TrainingEvent.BatchFinished) EVENTS.get(tree);
            assertEquals(tree, batch.batch());
            assertEquals(20, batch.batches());
        }
        var epoch = (TrainingEvent.EpochFinished) EVENTS.get(21);
        assertTrue(epoch.validationAccuracy() > 0.8, "validation accuracy " + epoch.validationAccuracy());
        assertInstanceOf(TrainingEvent.Finished.class, EVENTS.get(22));
        assertEquals(23, EVENTS.size());
    }

    @Test
    void sameSeedGivesIdenticalPredictionsAndAnotherSeedDoesNot() {
        Dataset small = MnistSubsets.train(600);
        Tensor probe = test.features().slice(0, 300);
        var trainer = PROVIDER.trainer(new RandomForestConfig(6, null, null, null, null), ProviderContext.empty());
        Tensor a = trainer.train(small, RunContext.of(11)).predictProbabilities(probe);
        Tensor b = trainer.train(small, RunContext.of(11)).predictProbabilities(probe);
        Tensor c = trainer.train(small, RunContext.of(12)).predictProbabilities(probe);
        assertEquals(a, b);
        assertFalse(a.equals(c));
        // A seed in the config overrides the run's seed.
        var seeded = PROVIDER.trainer(new RandomForestConfig(6, null, null, null, 11L), ProviderContext.empty());
        assertEquals(seeded.train(small, RunContext.of(1)).predictProbabilities(probe),
                seeded.train(small, RunContext.of(2)).predictProbabilities(probe));
    }

    @Test
    void theSameTrainingSavesByteIdenticalFiles(@TempDir Path dir) throws Exception {
        Dataset small = MnistSubsets.train(400);
        var trainer = PROVIDER.trainer(new RandomForestConfig(3, null, null, null, null), ProviderContext.empty());
        trainer.train(small, RunContext.of(5)).save(dir.resolve("a"));
        Thread.sleep(20); // a different wall clock for the second training
        trainer.train(small, RunContext.of(5)).save(dir.resolve("b"));
        for (String file : List.of("tribuo-model.pb.gz", "tribuo-model.properties", "modelbench-model.properties")) {
            assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("a").resolve(file)),
                    java.nio.file.Files.readAllBytes(dir.resolve("b").resolve(file)), file);
        }
        String provenance = PROVIDER.load(dir.resolve("a"), ProviderContext.empty()).provenance().details().get("tribuo.provenance");
        assertTrue(provenance != null && provenance.contains("\"value\":\"1970-01-01T00:00Z\""),
                "Tribuo's trained-at timestamps are pinned to the epoch");
    }

    @Test
    void oneTwoAndEightThreadsSaveTheSameForest(@TempDir Path dir) throws Exception {
        Dataset small = MnistSubsets.train(800);
        var trainer = PROVIDER.trainer(new RandomForestConfig(8, null, null, null, null), ProviderContext.empty());
        byte[] reference = null;
        for (int threads : new int[] {1, 2, 8}) {
            Path saved = dir.resolve("threads-" + threads);
            trainer.train(small, new RunContext(5, threads, List.of(), dir)).save(saved);
            byte[] bytes = java.nio.file.Files.readAllBytes(saved.resolve("tribuo-model.pb.gz"));
            if (reference == null) {
                reference = bytes;
            }
            assertArrayEquals(reference, bytes, threads + " threads");
        }
    }

    @Test
    void saveAndReloadGiveIdenticalPredictions(@TempDir Path dir) throws Exception {
        forest.save(dir);
        Model loaded = PROVIDER.load(dir, ProviderContext.empty());
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
        assertTrue(json.contains("org.modelbench.tribuo.internal.HistogramCartTrainer"), "names the tree trainer");
        assertEquals(RandomForestConfig.defaults().maxDepth(), ((RandomForestConfig) forest.provenance().config()).maxDepth());
        assertEquals("tribuo-random-forest", forest.provenance().familyId());
    }
}
