package org.modelbench.tribuo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.modelbench.api.spi.ProviderContext;
import org.junit.jupiter.api.Test;
import org.modelbench.api.Dataset;
import org.modelbench.api.RunContext;
import org.modelbench.tribuo.MnistSubsets;
import org.modelbench.tribuo.RandomForestProvider;
import org.modelbench.tribuo.config.RandomForestConfig;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

class VotingForestTest {

    @Test
    void predictsExactlyWhatTribuosEnsembleModelPredicts() {
        Dataset train = MnistSubsets.train(500);
        var model = (TribuoClassifier) new RandomForestProvider()
                .trainer(new RandomForestConfig(7, null, null, null, null), ProviderContext.empty()).train(train, RunContext.of(5));
        VotingForest forest = VotingForest.of(model.tribuoModel()).orElseThrow();
        List<Example<Label>> rows = model.examples().unlabelled(MnistSubsets.test(150).features(), 0, 150);
        List<Prediction<Label>> reference = model.tribuoModel().predict(rows);
        int disagreements = 0;
        for (int i = 0; i < rows.size(); i++) {
            Prediction<Label> fast = forest.predict(rows.get(i));
            assertEquals(reference.get(i).getOutput(), fast.getOutput());
            Map<String, Label> expected = reference.get(i).getOutputScores();
            Map<String, Label> actual = fast.getOutputScores();
            assertEquals(expected.keySet(), actual.keySet());
            for (String label : expected.keySet()) {
                assertEquals(expected.get(label).getScore(), actual.get(label).getScore(), 0.0);
            }
            // Seven voters rarely agree on every row: the test must see split votes.
            if (expected.values().stream().filter(l -> l.getScore() > 0).count() > 1) {
                disagreements++;
            }
        }
        assertTrue(disagreements > 10, "rows with split votes: " + disagreements);
    }
}
