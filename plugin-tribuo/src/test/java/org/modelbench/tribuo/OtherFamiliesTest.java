package org.modelbench.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modelbench.api.Dataset;
import org.modelbench.api.Evaluation;
import org.modelbench.api.Model;
import org.modelbench.api.RunContext;
import org.modelbench.api.Tensor;
import org.modelbench.api.TrainingEvent;
import org.modelbench.api.spi.ProviderContext;
import org.modelbench.tribuo.config.CartConfig;
import org.modelbench.tribuo.config.ExtraTreesConfig;
import org.modelbench.tribuo.config.LogisticConfig;

class OtherFamiliesTest {
    private static final Dataset TRAIN = MnistSubsets.train(2000);
    private static final Dataset TEST = MnistSubsets.test(1000);

    /** Trains, checks the accuracy floor, then save -> load -> identical probabilities. */
    private static Model trainAndRoundTrip(org.modelbench.api.spi.ModelFamilyProvider<?> provider,
                                           org.modelbench.api.Trainer trainer, Dataset train, double floor, Path dir) {
        List<TrainingEvent> events = new ArrayList<>();
        Model model = trainer.train(train, Optional.empty(), RunContext.of(3).withListener(events::add));
        double accuracy = Evaluation.of(model, TEST, 500).accuracy();
        assertTrue(accuracy > floor, provider.id() + " accuracy " + accuracy);
        assertEquals(provider.id(), model.familyId());
        assertInstanceOfStarted(events.get(0));
        assertTrue(events.get(events.size() - 1) instanceof TrainingEvent.Finished);

        model.save(dir);
        Model loaded = provider.load(dir, ProviderContext.empty());
        Tensor probe = TEST.features().slice(0, 300);
        assertEquals(model.predictProbabilities(probe), loaded.predictProbabilities(probe));
        assertEquals(model.provenance().config(), loaded.provenance().config());
        return model;
    }

    private static void assertInstanceOfStarted(TrainingEvent event) {
        assertTrue(event instanceof TrainingEvent.Started, String.valueOf(event));
    }

    @Test
    void extraTreesLearn(@TempDir Path dir) {
        var provider = new ExtraTreesProvider();
        Model model = trainAndRoundTrip(provider, provider.trainer(new ExtraTreesConfig(10, null, 0.3, 5.0, null), ProviderContext.empty()),
                TRAIN.slice(0, 1000), 0.70, dir);
        assertTrue(model.provenance().details().get("tribuo.provenance").contains("ExtraTreesTrainer"));
    }

    @Test
    void oneCartTreeLearns(@TempDir Path dir) {
        var provider = new CartProvider();
        Model model = trainAndRoundTrip(provider, provider.trainer(new CartConfig(12, null, null, null), ProviderContext.empty()), TRAIN, 0.62,
                dir);
        assertTrue(model.parameterCount() > 50, "nodes " + model.parameterCount());
    }

    @Test
    void logisticRegressionLearnsWithProbabilities(@TempDir Path dir) {
        var provider = new LogisticProvider();
        Model model = trainAndRoundTrip(provider, provider.trainer(new LogisticConfig(3, null, null, null), ProviderContext.empty()), TRAIN,
                0.78, dir);
        assertEquals(785L * 10, model.parameterCount());
        Tensor p = model.predictProbabilities(TEST.features().slice(0, 20));
        for (int i = 0; i < 20; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += p.get(i, c);
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }
}
